package reuse

// The reuse file.
//
//	INDEX/reuse.bin   magic "ZCREUSE1", body, crc uint32 (IEEE, little-endian,
//	                  of magic and body)
//
// The body is a sequence of unsigned varints (encoding/binary), strings as a
// length and their bytes, containments as round(10000 × c):
//
//	version generation
//	shingle_len min_chars threshold sample_every boilerplate_share
//	boilerplate_min_places max_posting   (threshold and share as float64 bits)
//	places boilerplate_places
//	reports: count, then per report
//	  id path title level province city district
//	  year added rank chars reused same_place boilerplate
//	  marks: count, then per mark
//	    ordinal chars boilerplate(0/1) places others same earlier
//	    found: count, then (report ordinal containment) each
//	    same_found: the same
//	pairs: count, then a b a_in_b b_in_a paragraphs
//	passages: count, then report ordinal chars places, reports: count, each
//
// Report numbers index the list of reports. The file is written to
// reuse.bin.tmp, fsynced and renamed, so a reader sees a whole file or the
// previous one. It describes one generation: Read returns ErrStale for a
// file of another.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"syscall"
)

// FileName is the name of the reuse file in an index directory.
const FileName = "reuse.bin"

const (
	fileMagic   = "ZCREUSE1"
	fileVersion = 1
	fixed       = 10000 // containments and shares are stored × fixed
)

// ErrStale means the reuse file describes another generation of the
// index than the one asked for, or was computed with other settings.
var ErrStale = errors.New("reuse file does not describe this index")

// ErrDamaged means the reuse file is truncated or corrupted.
var ErrDamaged = errors.New("reuse file is damaged")

// Encode returns the stored form of t.
func Encode(t *Table) []byte {
	e := encoder{b: []byte(fileMagic)}
	e.u(fileVersion)
	e.u(uint64(t.Generation))
	p := t.Params
	e.u(uint64(p.ShingleLen), uint64(p.MinChars), math.Float64bits(p.Threshold), uint64(p.SampleEvery),
		math.Float64bits(p.BoilerplateShare), uint64(p.BoilerplateMinPlaces), uint64(p.MaxPosting))
	e.u(uint64(t.Places), uint64(t.BoilerplatePlaces))
	e.u(uint64(len(t.Reports)))
	for i := range t.Reports {
		r := &t.Reports[i]
		for _, s := range []string{r.ID, r.Path, r.Title, r.Level, r.Province, r.City, r.District} {
			e.s(s)
		}
		e.u(uint64(r.Year), uint64(r.Added), uint64(r.Rank), uint64(r.Chars), uint64(r.Reused), uint64(r.SamePlace), uint64(r.Boilerplate))
		e.u(uint64(len(r.Marks)))
		for _, m := range r.Marks {
			bp := uint64(0)
			if m.Boilerplate {
				bp = 1
			}
			e.u(uint64(m.Ordinal), uint64(m.Chars), bp, uint64(m.Places), uint64(m.Others), uint64(m.Same), fix(m.Earlier))
			for _, list := range [][]Match{m.Found, m.SameFound} {
				e.u(uint64(len(list)))
				for _, x := range list {
					e.u(uint64(x.Report), uint64(x.Ordinal), fix(x.Containment))
				}
			}
		}
	}
	e.u(uint64(len(t.Pairs)))
	for _, x := range t.Pairs {
		e.u(uint64(x.A), uint64(x.B), uint64(x.AinB), uint64(x.BinA), uint64(x.Paragraphs))
	}
	e.u(uint64(len(t.Passages)))
	for _, x := range t.Passages {
		e.u(uint64(x.Report), uint64(x.Ordinal), uint64(x.Chars), uint64(x.Places), uint64(len(x.Reports)))
		for _, r := range x.Reports {
			e.u(uint64(r))
		}
	}
	return binary.LittleEndian.AppendUint32(e.b, crc32.ChecksumIEEE(e.b))
}

func fix(f float64) uint64 { return uint64(math.Round(f * fixed)) }

type encoder struct{ b []byte }

func (e *encoder) u(vs ...uint64) {
	for _, v := range vs {
		e.b = binary.AppendUvarint(e.b, v)
	}
}

func (e *encoder) s(s string) {
	e.u(uint64(len(s)))
	e.b = append(e.b, s...)
}

// Decode reads a table from its stored form. name names it in errors.
func Decode(name string, b []byte) (*Table, error) {
	bad := func(what string) error { return fmt.Errorf("%s: %s: %w", name, what, ErrDamaged) }
	if len(b) < len(fileMagic)+4 || string(b[:len(fileMagic)]) != fileMagic {
		return nil, bad("not a reuse file")
	}
	body := b[:len(b)-4]
	if crc32.ChecksumIEEE(body) != binary.LittleEndian.Uint32(b[len(b)-4:]) {
		return nil, bad("checksum mismatch")
	}
	d := decoder{b: body[len(fileMagic):]}
	if v := d.u(); v != fileVersion {
		return nil, fmt.Errorf("%s: format version %d, this program reads %d: %w", name, v, fileVersion, ErrStale)
	}
	t := &Table{Generation: d.int()}
	t.Params = Params{ShingleLen: d.int(), MinChars: d.int(), Threshold: d.float(), SampleEvery: d.int(),
		BoilerplateShare: d.float(), BoilerplateMinPlaces: d.int(), MaxPosting: d.int()}
	t.Places, t.BoilerplatePlaces = d.int(), d.int()
	nr := d.count()
	t.Reports = make([]Report, nr)
	for i := range t.Reports {
		r := &t.Reports[i]
		for _, s := range []*string{&r.ID, &r.Path, &r.Title, &r.Level, &r.Province, &r.City, &r.District} {
			*s = d.s()
		}
		for _, v := range []*int{&r.Year, &r.Added, &r.Rank, &r.Chars, &r.Reused, &r.SamePlace, &r.Boilerplate} {
			*v = d.int()
		}
		r.Marks = make([]Mark, d.count())
		for k := range r.Marks {
			m := &r.Marks[k]
			m.Ordinal, m.Chars = d.int(), d.int()
			m.Boilerplate = d.u() == 1
			m.Places, m.Others, m.Same, m.Earlier = d.int(), d.int(), d.int(), d.fix()
			for _, list := range []*[]Match{&m.Found, &m.SameFound} {
				n := d.count()
				if n == 0 {
					continue
				}
				*list = make([]Match, n)
				for j := range *list {
					x := &(*list)[j]
					x.Report, x.Ordinal, x.Containment = d.report(nr), d.int(), d.fix()
				}
			}
			if k > 0 && m.Ordinal <= r.Marks[k-1].Ordinal {
				d.fail()
			}
		}
	}
	t.Pairs = make([]Pair, d.count())
	for i := range t.Pairs {
		x := &t.Pairs[i]
		x.A, x.B, x.AinB, x.BinA, x.Paragraphs = d.report(nr), d.report(nr), d.int(), d.int(), d.int()
	}
	t.Passages = make([]Passage, d.count())
	for i := range t.Passages {
		x := &t.Passages[i]
		x.Report, x.Ordinal, x.Chars, x.Places = d.report(nr), d.int(), d.int(), d.int()
		x.Reports = make([]int, d.count())
		for j := range x.Reports {
			x.Reports[j] = d.report(nr)
		}
	}
	if d.bad || len(d.b) != 0 {
		return nil, bad("malformed")
	}
	t.index()
	return t, nil
}

// decoder reads the body; after the first malformed value every read
// returns zero and bad is set.
type decoder struct {
	b   []byte
	bad bool
}

func (d *decoder) fail() { d.bad, d.b = true, nil }

func (d *decoder) u() uint64 {
	v, k := binary.Uvarint(d.b)
	if k <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[k:]
	return v
}

func (d *decoder) int() int {
	v := d.u()
	if v > math.MaxInt32 {
		d.fail()
		return 0
	}
	return int(v)
}

func (d *decoder) float() float64 {
	f := math.Float64frombits(d.u())
	if !(f >= 0 && f <= 1) {
		d.fail()
		return 0
	}
	return f
}

func (d *decoder) fix() float64 {
	v := d.u()
	if v > fixed {
		d.fail()
		return 0
	}
	return float64(v) / fixed
}

// count reads a number of elements, each at least one byte long.
func (d *decoder) count() int {
	v := d.u()
	if v > uint64(len(d.b)) {
		d.fail()
		return 0
	}
	return int(v)
}

func (d *decoder) report(n int) int {
	v := d.u()
	if v >= uint64(n) {
		d.fail()
		return 0
	}
	return int(v)
}

func (d *decoder) s() string {
	n := d.count()
	if d.bad {
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

// Write stores t in the index directory dir, replacing the file there in
// one step.
func Write(dir string, t *Table) error {
	data := Encode(t)
	tmp := filepath.Join(dir, FileName+".tmp")
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("reuse: %w", err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir, FileName))
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("reuse: writing %s: %w", filepath.Join(dir, FileName), err)
	}
	if d, err := os.Open(dir); err == nil {
		if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
			d.Close()
			return fmt.Errorf("reuse: syncing %s: %w", dir, err)
		}
		d.Close()
	}
	return nil
}

// Read reads the table stored in the index directory dir for generation
// gen. It returns an error wrapping fs.ErrNotExist if there is none, and
// ErrStale if the file describes another generation or was computed with
// other settings than this program's.
func Read(dir string, gen int) (*Table, error) {
	path := filepath.Join(dir, FileName)
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("reuse: no %s in %s: %w", FileName, dir, err)
		}
		return nil, fmt.Errorf("reuse: %w", err)
	}
	t, err := Decode(path, b)
	if err != nil {
		return nil, fmt.Errorf("reuse: %w", err)
	}
	if t.Generation != gen {
		return nil, fmt.Errorf("reuse: %s describes generation %d, the index is at %d: %w", path, t.Generation, gen, ErrStale)
	}
	if want := (Params{}).withDefaults(); t.Params != want {
		return nil, fmt.Errorf("reuse: %s was computed with settings %+v, this program uses %+v: %w", path, t.Params, want, ErrStale)
	}
	return t, nil
}
