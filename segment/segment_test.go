package segment

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/norm"
)

// bundled is a segment of the bundled reports, written once for the tests.
var bundled struct {
	once  sync.Once
	err   error
	path  string
	texts []string // original paragraph texts in segment order
	norms []string
	reps  [][]byte
}

func bundledSegment(t testing.TB) (*Reader, []string, []string) {
	t.Helper()
	bundled.once.Do(func() {
		dir, err := os.MkdirTemp("", "segment-test-")
		if err != nil {
			bundled.err = err
			return
		}
		bundled.path = filepath.Join(dir, "data.seg")
		w, err := Create(bundled.path)
		if err != nil {
			bundled.err = err
			return
		}
		_, err = corpus.Load(corpus.Bundled, "reports", func(r *corpus.Report) error {
			var ps []Paragraph
			for _, p := range r.Paragraphs {
				ps = append(ps, Paragraph{Ordinal: p.Ordinal, Offset: p.Offset, Section: uint8(len(p.Section) % 5),
					Heading: strings.Join(p.Heading, " › "), Text: p.Text})
				bundled.texts = append(bundled.texts, p.Text)
				bundled.norms = append(bundled.norms, norm.String(p.Text))
			}
			rec := []byte(r.Path)
			bundled.reps = append(bundled.reps, rec)
			return w.AddReport(rec, ps)
		})
		if err != nil {
			w.Abort()
			bundled.err = err
			return
		}
		if err := w.AddAux("hello", []byte("world")); err != nil {
			bundled.err = err
			return
		}
		bundled.err = w.Finish()
	})
	if bundled.err != nil {
		t.Fatal(bundled.err)
	}
	r, err := Open(bundled.path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r, bundled.texts, bundled.norms
}

func TestMain(m *testing.M) {
	code := m.Run()
	if bundled.path != "" {
		os.RemoveAll(filepath.Dir(bundled.path))
	}
	os.Exit(code)
}

func TestRoundTrip(t *testing.T) {
	r, texts, _ := bundledSegment(t)
	if err := r.Verify(); err != nil {
		t.Fatal(err)
	}
	if r.NumParagraphs() != len(texts) {
		t.Fatalf("NumParagraphs = %d, want %d", r.NumParagraphs(), len(texts))
	}
	if r.NumReports() != len(bundled.reps) {
		t.Fatalf("NumReports = %d, want %d", r.NumReports(), len(bundled.reps))
	}
	for i, want := range bundled.reps {
		ri, err := r.Report(i)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(ri.Record, want) {
			t.Fatalf("Report(%d).Record = %q, want %q", i, ri.Record, want)
		}
		ps, err := r.Paragraphs(ri.First, ri.First+ri.Count)
		if err != nil {
			t.Fatal(err)
		}
		for k, p := range ps {
			if p.Text != texts[ri.First+k] || p.Report != i {
				t.Fatalf("paragraph %d = %q (report %d), want %q (report %d)", ri.First+k, p.Text, p.Report, texts[ri.First+k], i)
			}
		}
	}
	if b, ok := r.Aux("hello"); !ok || string(b) != "world" {
		t.Errorf("Aux(hello) = %q, %v", b, ok)
	}
	if _, ok := r.Aux("nope"); ok {
		t.Errorf("Aux(nope) found")
	}
	st, _ := os.Stat(bundled.path)
	var text int64
	for _, s := range texts {
		text += int64(len(s))
	}
	t.Logf("segment %d bytes for %d bytes of text (%.2f×)", st.Size(), text, float64(st.Size())/float64(text))
}

// TestPhraseOracle checks Phrase against a substring scan of the
// normalised paragraphs, for phrases sampled from the text.
func TestPhraseOracle(t *testing.T) {
	r, texts, norms := bundledSegment(t)
	rng := rand.New(rand.NewPCG(1, 2))
	ctx := context.Background()
	for i := 0; i < 600; i++ {
		src := []rune(norms[rng.IntN(len(norms))])
		if len(src) == 0 {
			continue
		}
		n := 1 + rng.IntN(8)
		s := rng.IntN(len(src))
		p := src[s:min(s+n, len(src))]
		got, err := r.Phrase(ctx, p, nil)
		if err != nil {
			t.Fatal(err)
		}
		var want []uint32
		for k, nt := range norms {
			if strings.Contains(nt, string(p)) {
				want = append(want, uint32(k))
			}
		}
		if fmt.Sprint(got.ToArray()) != fmt.Sprint(want) {
			t.Fatalf("Phrase(%q) = %d hits, want %d", string(p), got.GetCardinality(), len(want))
		}
	}
	_ = texts
}

func TestContainsUnits(t *testing.T) {
	u := func(vs ...uint16) []byte {
		var b []byte
		for _, v := range vs {
			b = append(b, byte(v), byte(v>>8))
		}
		return b
	}
	tests := []struct {
		text, phrase []byte
		want         bool
	}{
		{u(1, 2, 3), u(2, 3), true},
		{u(0x0100, 0x0302), u(0x0203), false}, // bytes 01 03 straddle two units
		{u(0x0100, 0x0302, 0x0203), u(0x0203), true},
		{u(5), u(5, 6), false},
		{nil, u(1), false},
	}
	for _, tt := range tests {
		if got := containsUnits(tt.text, tt.phrase); got != tt.want {
			t.Errorf("containsUnits(% x, % x) = %v, want %v", tt.text, tt.phrase, got, tt.want)
		}
	}
}

// TestDamage corrupts, truncates and shortens a small segment and requires
// an error wrapping ErrDamaged, never a panic or a silent success.
func TestDamage(t *testing.T) {
	good := smallSegment(t)
	if _, err := OpenBytes(good); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 300; i++ {
		b := bytes.Clone(good)
		switch i % 3 {
		case 0:
			for k := 0; k < 4; k++ {
				b[rng.IntN(len(b))] ^= byte(1 + rng.IntN(255))
			}
		case 1:
			b = b[:rng.IntN(len(b))]
		case 2:
			off := rng.IntN(len(b) - 8)
			copy(b[off:], bytes.Repeat([]byte{0xFF}, 8))
		}
		if bytes.Equal(b, good) {
			continue
		}
		err := useAll(b)
		if err == nil {
			t.Fatalf("case %d: damaged segment read without an error", i)
		}
		if !errors.Is(err, ErrDamaged) && !errors.Is(err, ErrVersion) {
			t.Fatalf("case %d: error %v does not wrap ErrDamaged", i, err)
		}
	}
}

// TestChecksumsSeeWhatVerifySees flips each byte of a small segment in
// turn: wherever Verify and a full read find damage, Open and Checksums,
// with nothing decoded, must find it too, since that is all a start-up
// checks before serving. (Flips Checksums passes are in bytes no reader
// uses: the reserved header word and alignment padding.)
func TestChecksumsSeeWhatVerifySees(t *testing.T) {
	good := smallSegment(t)
	if r, err := OpenBytes(good); err != nil || r.Checksums() != nil {
		t.Fatalf("good segment: open %v", err)
	}
	step := max(1, len(good)/3000)
	passed := 0
	for off := 0; off < len(good); off += step {
		b := bytes.Clone(good)
		b[off] ^= 0x5A
		r, err := OpenBytes(b)
		if err == nil {
			err = r.Checksums()
		}
		if err != nil {
			if !errors.Is(err, ErrDamaged) && !errors.Is(err, ErrVersion) {
				t.Fatalf("byte %d: error %v does not wrap ErrDamaged", off, err)
			}
			continue
		}
		passed++
		if err := useAll(b); err != nil {
			t.Fatalf("byte %d of %d flipped: Checksums saw nothing, a full read: %v", off, len(good), err)
		}
	}
	if passed > len(good)/step/20 {
		t.Errorf("%d flips of %d passed Checksums: more than padding", passed, len(good)/step)
	}
}

// useAll opens a segment and reads everything in it.
func useAll(b []byte) error {
	r, err := OpenBytes(b)
	if err != nil {
		return err
	}
	if err := r.Verify(); err != nil {
		return err
	}
	for i := 0; i < r.NumReports(); i++ {
		ri, err := r.Report(i)
		if err != nil {
			return err
		}
		if _, err := r.Paragraphs(ri.First, ri.First+ri.Count); err != nil {
			return err
		}
	}
	for _, p := range []string{"发展", "改革开放", "营商环境", "的"} {
		if _, err := r.Phrase(context.Background(), []rune(p), nil); err != nil {
			return err
		}
	}
	return nil
}

func smallSegment(t testing.TB) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "small.seg")
	w, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{"坚持以人民为中心的发展思想，深化改革开放。", "优化营商环境，推进“放管服”改革。", "发展", "的的的的的的的的的的的的的的的的的的的"}
	for i := 0; i < 40; i++ {
		var ps []Paragraph
		for k, s := range texts {
			ps = append(ps, Paragraph{Ordinal: k + 1, Text: fmt.Sprintf("%s%d", s, i), Heading: "一、总体要求"})
		}
		if err := w.AddReport([]byte(fmt.Sprint("report", i)), ps); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Finish(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// FuzzOpen reads any bytes as a segment: an error or a segment that reads
// without panicking, never a panic. Half the inputs have their checksums
// recomputed after mutation, so the structural checks behind the
// checksums are fuzzed too. Seeds: a tiny valid segment, truncated and
// damaged.
func FuzzOpen(f *testing.F) {
	good := tinySegment(f)
	f.Add(good, false)
	f.Add(good, true)
	f.Add(good[:len(good)/2], false)
	bad := bytes.Clone(good)
	bad[len(bad)/3] ^= 0xFF
	f.Add(bad, true)
	f.Fuzz(func(t *testing.T, b []byte, fix bool) {
		if fix {
			b = fixChecksums(bytes.Clone(b))
		}
		err := useAll(b)
		if err != nil && !errors.Is(err, ErrDamaged) && !errors.Is(err, ErrVersion) {
			t.Fatalf("error %v does not wrap ErrDamaged", err)
		}
	})
}

// fixChecksums recomputes every checksum of b it can find, leaving the
// rest of the bytes as they are.
func fixChecksums(b []byte) []byte {
	if len(b) < headerSize+trailerSize {
		return b
	}
	le := binary.LittleEndian
	t := b[len(b)-trailerSize:]
	tocOff, tocSize := le.Uint64(t), uint64(le.Uint32(t[8:]))
	if tocOff > uint64(len(b)) || tocSize > uint64(len(b))-tocOff || tocSize < 8 {
		return b
	}
	toc := b[tocOff : tocOff+tocSize]
	n := uint64(le.Uint32(toc))
	secs := map[uint32][]byte{}
	for i := uint64(0); i < n && 8+(i+1)*tocEntrySize <= tocSize; i++ {
		e := toc[8+i*tocEntrySize:]
		off, size := le.Uint64(e[8:]), le.Uint64(e[16:])
		if off > uint64(len(b)) || size > uint64(len(b))-off {
			continue
		}
		secs[le.Uint32(e)] = b[off : off+size]
	}
	chunkCRCs := func(data, crcs []byte, chunk int) {
		for c := 0; 4*c+4 <= len(crcs) && c*chunk < len(data); c++ {
			le.PutUint32(crcs[4*c:], checksum(data[c*chunk:min((c+1)*chunk, len(data))]))
		}
	}
	chunkCRCs(secs[secUnits], secs[secUnitCRC], 2*unitChunk)
	chunkCRCs(secs[secExc], secs[secExcCRC], excChunk)
	post := secs[secPostings]
	for _, dict := range [][]byte{secs[secUnigrams], secs[secPairs]} {
		for i := 0; (i+1)*dictEntry <= len(dict); i++ {
			e := dict[i*dictEntry:]
			off, size := le.Uint64(e[8:]), uint64(le.Uint32(e[16:]))
			if size > 0 && off >= 4 && off <= uint64(len(post)) && size <= uint64(len(post))-off {
				le.PutUint32(post[off-4:], checksum(post[off:off+size]))
			}
		}
	}
	for i := uint64(0); i < n && 8+(i+1)*tocEntrySize <= tocSize; i++ {
		e := toc[8+i*tocEntrySize:]
		if sec, ok := secs[le.Uint32(e)]; ok {
			le.PutUint32(e[4:], checksum(sec))
		}
	}
	le.PutUint32(t[12:], checksum(toc))
	return b
}

func tinySegment(t testing.TB) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tiny.seg")
	w, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	for i, texts := range [][]string{{"发展改革，“放管服”。", "營商環境"}, {"的的的", "ＧＤＰ增长2%"}} {
		var ps []Paragraph
		for k, s := range texts {
			ps = append(ps, Paragraph{Ordinal: k + 1, Text: s, Heading: fmt.Sprint("标题", i)})
		}
		if err := w.AddReport([]byte{byte(i)}, ps); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Finish(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
