package segment

// The writer keeps in memory only what it must sort before writing: the
// posting lists (a growing []uint32 of paragraph numbers per term, which
// arrive in order, so no sorting is needed), the fixed-width columns and
// the report records. The normalised text and the compressed original text
// go to temporary files beside the output as paragraphs arrive and are
// copied into the segment at Finish. Memory is therefore about 4 bytes per
// distinct term of every paragraph plus 40 bytes a paragraph: a caller
// bounds it by cutting segments at a size (package index does).

import (
	"bufio"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/zhengce/zhengce/norm"
)

// Limits on what one segment holds; a caller cuts segments well before.
const (
	MaxParagraphs = 1<<31 - 1
	maxTextBytes  = 1 << 40
)

// ErrFull is returned by AddReport when the segment cannot take more.
var ErrFull = errors.New("segment is full")

// A Writer writes one segment. Call AddReport for every report, AddAux for
// any auxiliary section, then Finish, or Abort to discard everything. A
// Writer is not safe for concurrent use.
type Writer struct {
	path string
	tmp  string // directory of the temporary files

	// Posting lists under construction. Terms are keyed by code while
	// writing (a pair of codes below 0xF000 is one uint32), and by rune
	// when written; the few characters outside the alphabet go through
	// the maps.
	uni      [][]uint32 // by code
	pairs    u32map     // code<<16 | code → index in lists
	lists    [][]uint32
	rareUni  map[rune]int32   // escaped rune → index in lists
	rarePair map[uint64]int32 // pairKey of runes → index in lists

	codeOf   [0x10000]uint16 // BMP rune → code+1 (0: none yet)
	codes    map[rune]uint16 // other runes → code
	alphabet []rune

	report, ordinal, offset, heading []uint32
	page                             []uint16
	section, flags                   []uint8
	unitStart, excStart              []uint64

	headingIdx map[string]uint32
	headings   []string

	reports []reportEntry
	records []byte

	aux []auxSection

	units     *spool
	unitN     uint64
	unitCRCs  []uint32
	chunkCRC  uint32
	chunkFill uint64

	text     *spool
	textN    uint64 // original bytes
	exc      *spool // exceptions (text.go)
	excW     *excWriter
	excCRCs  []uint32
	excCRC   uint32
	excFill  uint64
	scratchC []norm.Char
	scratchE []byte
	scratchK []uint64
	scratchU []byte
}

type reportEntry struct {
	first, count uint32
	off, size    uint64
}

type auxSection struct {
	name string
	data []byte
}

// A spool is a temporary file written sequentially.
type spool struct {
	f *os.File
	w *bufio.Writer
	n uint64
}

func newSpool(dir, pattern string) (*spool, error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	return &spool{f: f, w: bufio.NewWriterSize(f, 1<<20)}, nil
}

func (s *spool) Write(b []byte) (int, error) {
	n, err := s.w.Write(b)
	s.n += uint64(n)
	return n, err
}

func (s *spool) copyTo(w io.Writer) error {
	if err := s.w.Flush(); err != nil {
		return err
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	_, err := io.Copy(w, bufio.NewReaderSize(s.f, 1<<20))
	return err
}

func (s *spool) remove() {
	if s != nil && s.f != nil {
		s.f.Close()
		os.Remove(s.f.Name())
		s.f = nil
	}
}

// Create starts a segment that Finish writes to path. The temporary files
// live in path's directory.
func Create(path string) (*Writer, error) {
	dir := filepath.Dir(path)
	var err error
	w := &Writer{
		path: path, tmp: dir, codes: map[rune]uint16{}, rareUni: map[rune]int32{}, rarePair: map[uint64]int32{},
		headingIdx: map[string]uint32{}, excW: newExcWriter(),
		unitStart: []uint64{0}, excStart: []uint64{0},
	}
	if w.units, err = newSpool(dir, ".units-*"); err != nil {
		return nil, fmt.Errorf("segment: %w", err)
	}
	if w.exc, err = newSpool(dir, ".except-*"); err != nil {
		w.units.remove()
		return nil, fmt.Errorf("segment: %w", err)
	}
	return w, nil
}

// Paragraphs returns how many paragraphs have been added.
func (w *Writer) Paragraphs() int { return len(w.report) }

// TextBytes returns how many bytes of original text have been added.
func (w *Writer) TextBytes() int64 { return int64(w.textN) }

// Reports returns how many reports have been added.
func (w *Writer) Reports() int { return len(w.reports) }

// AddReport adds a report: record is stored as is and returned by
// [Reader.Report]; its paragraphs are numbered on from the last one added.
// Paragraph.Report is ignored.
func (w *Writer) AddReport(record []byte, paras []Paragraph) error {
	if uint64(len(w.report))+uint64(len(paras)) > MaxParagraphs || w.textN > maxTextBytes || len(w.reports) >= 1<<31-1 {
		return ErrFull
	}
	first := uint32(len(w.report))
	rep := uint32(len(w.reports))
	w.reports = append(w.reports, reportEntry{first: first, count: uint32(len(paras)), off: uint64(len(w.records)), size: uint64(len(record))})
	w.records = append(w.records, record...)
	for i := range paras {
		if err := w.addParagraph(rep, &paras[i]); err != nil {
			return err
		}
	}
	return nil
}

func (w *Writer) addParagraph(rep uint32, p *Paragraph) error {
	para := uint32(len(w.report))
	h, ok := w.headingIdx[p.Heading]
	if !ok {
		h = uint32(len(w.headings))
		w.headingIdx[p.Heading] = h
		w.headings = append(w.headings, p.Heading)
	}
	w.report = append(w.report, rep)
	w.ordinal = append(w.ordinal, clampU32(p.Ordinal))
	w.offset = append(w.offset, clampU32(p.Offset))
	w.heading = append(w.heading, h)
	w.page = append(w.page, uint16(min(max(p.Page, 0), 0xFFFF)))
	w.section = append(w.section, p.Section)
	w.flags = append(w.flags, p.Flags)

	// Normalised text: code units and the terms for the postings. A
	// term's list ends with this paragraph if the term was seen in it
	// already, which dedupes without sorting.
	cs := norm.Chars(p.Text, w.scratchC[:0])
	w.scratchC = cs
	units := w.scratchU[:0]
	prev, prevOK := uint16(0), false
	for i, ch := range cs {
		c := ch.R
		code, ok := w.code(c)
		units = w.appendUnits(units, c, code, ok)
		if ok {
			w.uni[code] = appendOnce(w.uni[code], para)
		} else {
			rareListOf(w, w.rareUni, c, para)
		}
		if i > 0 {
			if ok && prevOK {
				li := w.pairs.index(uint32(prev)<<16|uint32(code), int32(len(w.lists)))
				if int(li) == len(w.lists) {
					w.lists = append(w.lists, nil)
				}
				w.lists[li] = appendOnce(w.lists[li], para)
			} else {
				rareListOf(w, w.rarePair, pairKey(cs[i-1].R, c), para)
			}
		}
		prev, prevOK = code, ok
	}
	w.scratchU = units
	if err := w.writeUnits(units); err != nil {
		return err
	}
	w.unitStart = append(w.unitStart, w.unitN)

	// The original text: what restores it from the normalised text.
	w.scratchE = w.excW.appendExceptions(w.scratchE[:0], p.Text, cs)
	if err := w.writeExceptions(w.scratchE); err != nil {
		return err
	}
	w.excStart = append(w.excStart, w.exc.n)
	w.textN += uint64(len(p.Text))
	return nil
}

func clampU32(v int) uint32 {
	if v < 0 {
		return 0
	}
	if uint64(v) > 0xFFFFFFFF {
		return 0xFFFFFFFF
	}
	return uint32(v)
}

// code returns c's code, assigning the next one to a new character; ok is
// false for a character outside a full alphabet.
func (w *Writer) code(c rune) (uint16, bool) {
	if c >= 0 && c < 0x10000 {
		if v := w.codeOf[c]; v != 0 {
			return v - 1, true
		}
	} else if v, ok := w.codes[c]; ok {
		return v, true
	}
	if len(w.alphabet) >= maxCodes {
		return 0, false
	}
	code := uint16(len(w.alphabet))
	w.alphabet = append(w.alphabet, c)
	w.uni = append(w.uni, nil)
	if c >= 0 && c < 0x10000 {
		w.codeOf[c] = code + 1
	} else {
		w.codes[c] = code
	}
	return code, true
}

func appendOnce(list []uint32, p uint32) []uint32 {
	if n := len(list); n > 0 && list[n-1] == p {
		return list
	}
	return append(list, p)
}

// rareListOf adds p to the list of a term kept in a map.
func rareListOf[K comparable](w *Writer, m map[K]int32, k K, p uint32) {
	li, ok := m[k]
	if !ok {
		li = int32(len(w.lists))
		m[k] = li
		w.lists = append(w.lists, nil)
	}
	w.lists[li] = appendOnce(w.lists[li], p)
}

func (w *Writer) appendUnits(dst []byte, c rune, code uint16, ok bool) []byte {
	if ok {
		return binary.LittleEndian.AppendUint16(dst, code)
	}
	dst = binary.LittleEndian.AppendUint16(dst, escHi+uint16(uint32(c)>>11))
	return binary.LittleEndian.AppendUint16(dst, escLo+uint16(c&0x7FF))
}

// writeUnits spools units and keeps the crc of every chunk.
func (w *Writer) writeUnits(b []byte) error {
	for len(b) > 0 {
		room := 2 * (unitChunk - w.chunkFill)
		n := min(uint64(len(b)), room)
		w.chunkCRC = crc32.Update(w.chunkCRC, crcTable, b[:n])
		if _, err := w.units.Write(b[:n]); err != nil {
			return fmt.Errorf("segment: spooling text: %w", err)
		}
		w.chunkFill += n / 2
		w.unitN += n / 2
		b = b[n:]
		if w.chunkFill == unitChunk {
			w.unitCRCs = append(w.unitCRCs, w.chunkCRC)
			w.chunkCRC, w.chunkFill = 0, 0
		}
	}
	return nil
}

// writeExceptions spools a paragraph's exceptions and keeps the crc of
// every chunk.
func (w *Writer) writeExceptions(b []byte) error {
	for len(b) > 0 {
		n := min(uint64(len(b)), excChunk-w.excFill)
		w.excCRC = crc32.Update(w.excCRC, crcTable, b[:n])
		if _, err := w.exc.Write(b[:n]); err != nil {
			return fmt.Errorf("segment: spooling text: %w", err)
		}
		w.excFill += n
		b = b[n:]
		if w.excFill == excChunk {
			w.excCRCs = append(w.excCRCs, w.excCRC)
			w.excCRC, w.excFill = 0, 0
		}
	}
	return nil
}

// AddAux stores data as the auxiliary section name.
func (w *Writer) AddAux(name string, data []byte) error {
	for _, a := range w.aux {
		if a.name == name {
			return fmt.Errorf("segment: aux section %q added twice", name)
		}
	}
	w.aux = append(w.aux, auxSection{name, data})
	return nil
}

// Abort removes the temporary files.
func (w *Writer) Abort() {
	w.units.remove()
	w.exc.remove()
	os.Remove(w.path + ".tmp")
}

// out writes sections to the segment file, 8-aligned, and records the toc.
type out struct {
	f   *os.File
	w   *bufio.Writer
	pos uint64
	toc []byte
	crc uint32
}

func (o *out) Write(b []byte) (int, error) {
	n, err := o.w.Write(b)
	o.pos += uint64(n)
	o.crc = crc32.Update(o.crc, crcTable, b[:n])
	return n, err
}

func (o *out) align() error {
	var zero [8]byte
	if pad := pad8(o.pos) - o.pos; pad > 0 {
		_, err := o.w.Write(zero[:pad])
		o.pos += pad
		return err
	}
	return nil
}

// section writes one section produced by fill.
func (o *out) section(id uint32, fill func() error) error {
	if err := o.align(); err != nil {
		return err
	}
	start := o.pos
	o.crc = 0
	if err := fill(); err != nil {
		return err
	}
	o.toc = binary.LittleEndian.AppendUint32(o.toc, id)
	o.toc = binary.LittleEndian.AppendUint32(o.toc, o.crc)
	o.toc = binary.LittleEndian.AppendUint64(o.toc, start)
	o.toc = binary.LittleEndian.AppendUint64(o.toc, o.pos-start)
	return nil
}

func (o *out) bytes(b []byte) error { _, err := o.Write(b); return err }

func (o *out) u32s(v []uint32) error {
	var buf []byte
	for len(v) > 0 {
		n := min(len(v), 1<<14)
		buf = buf[:0]
		for _, x := range v[:n] {
			buf = binary.LittleEndian.AppendUint32(buf, x)
		}
		if err := o.bytes(buf); err != nil {
			return err
		}
		v = v[n:]
	}
	return nil
}

func (o *out) u64s(v []uint64) error {
	var buf []byte
	for len(v) > 0 {
		n := min(len(v), 1<<14)
		buf = buf[:0]
		for _, x := range v[:n] {
			buf = binary.LittleEndian.AppendUint64(buf, x)
		}
		if err := o.bytes(buf); err != nil {
			return err
		}
		v = v[n:]
	}
	return nil
}

func (o *out) padTo8() error {
	var zero [8]byte
	if pad := pad8(o.pos) - o.pos; pad > 0 {
		return o.bytes(zero[:pad])
	}
	return nil
}

// Finish writes the segment to its path (through a temporary file renamed
// into place, fsynced) and removes the temporary files.
func (w *Writer) Finish() (err error) {
	defer func() {
		w.units.remove()
		w.exc.remove()
		if err != nil {
			os.Remove(w.path + ".tmp")
		}
	}()
	if w.excFill > 0 {
		w.excCRCs = append(w.excCRCs, w.excCRC)
	}
	if w.chunkFill > 0 {
		w.unitCRCs = append(w.unitCRCs, w.chunkCRC)
	}
	f, err := os.OpenFile(w.path+".tmp", os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("segment: %w", err)
	}
	defer f.Close()
	o := &out{f: f, w: bufio.NewWriterSize(f, 1<<20)}
	var hdr [headerSize]byte
	copy(hdr[:], magic)
	binary.LittleEndian.PutUint32(hdr[8:], Version)
	if _, err := o.Write(hdr[:]); err != nil {
		return fmt.Errorf("segment: writing %s: %w", w.path, err)
	}
	if err := w.writeSections(o); err != nil {
		return fmt.Errorf("segment: writing %s: %w", w.path, err)
	}
	if err := o.align(); err != nil {
		return fmt.Errorf("segment: writing %s: %w", w.path, err)
	}
	tocOff := o.pos
	var toc []byte
	toc = binary.LittleEndian.AppendUint32(toc, uint32(len(o.toc)/tocEntrySize))
	toc = binary.LittleEndian.AppendUint32(toc, 0)
	toc = append(toc, o.toc...)
	var tr [trailerSize]byte
	binary.LittleEndian.PutUint64(tr[:], tocOff)
	binary.LittleEndian.PutUint32(tr[8:], uint32(len(toc)))
	binary.LittleEndian.PutUint32(tr[12:], checksum(toc))
	copy(tr[16:], trailerMagic)
	if err := o.bytes(toc); err != nil {
		return fmt.Errorf("segment: writing %s: %w", w.path, err)
	}
	if err := o.bytes(tr[:]); err != nil {
		return fmt.Errorf("segment: writing %s: %w", w.path, err)
	}
	if err := o.w.Flush(); err != nil {
		return fmt.Errorf("segment: writing %s: %w", w.path, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("segment: syncing %s: %w", w.path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("segment: writing %s: %w", w.path, err)
	}
	if err := os.Rename(w.path+".tmp", w.path); err != nil {
		return fmt.Errorf("segment: %w", err)
	}
	return nil
}

func (w *Writer) writeSections(o *out) error {
	// Postings first: the dictionaries need their offsets. Terms are
	// written in rune order.
	type term struct {
		key  uint64
		list []uint32
	}
	var uniTerms, pairTerms []term
	for code, l := range w.uni {
		if len(l) > 0 {
			uniTerms = append(uniTerms, term{uint64(w.alphabet[code]), l})
		}
	}
	for c, li := range w.rareUni {
		uniTerms = append(uniTerms, term{uint64(uint32(c)), w.lists[li]})
	}
	w.pairs.each(func(k uint32, li int32) {
		a, b := w.alphabet[k>>16], w.alphabet[k&0xFFFF]
		pairTerms = append(pairTerms, term{pairKey(a, b), w.lists[li]})
	})
	for k, li := range w.rarePair {
		pairTerms = append(pairTerms, term{k, w.lists[li]})
	}
	byKey := func(a, b term) int { return cmp.Compare(a.key, b.key) }
	slices.SortFunc(uniTerms, byKey)
	slices.SortFunc(pairTerms, byKey)
	uniKeys, pairKeys := uniTerms, pairTerms
	uniDict := make([]byte, 0, dictEntry*len(uniKeys))
	pairDict := make([]byte, 0, dictEntry*len(pairKeys))
	err := o.section(secPostings, func() error {
		start := o.pos
		var buf []byte
		entry := func(dict []byte, key uint64, list []uint32) ([]byte, error) {
			dict = binary.LittleEndian.AppendUint64(dict, key)
			if len(list) <= 2 {
				p0 := uint64(list[0])
				p1 := p0
				if len(list) == 2 {
					p1 = uint64(list[1])
				}
				dict = binary.LittleEndian.AppendUint64(dict, p1<<32|p0)
				dict = binary.LittleEndian.AppendUint32(dict, 0)
				return binary.LittleEndian.AppendUint32(dict, uint32(len(list))), nil
			}
			bm := roaring.BitmapOf(list...)
			bm.RunOptimize()
			buf = buf[:0]
			var err error
			if buf, err = bm.ToBytes(); err != nil {
				return nil, err
			}
			// crc in the 4 bytes before the 8-aligned list.
			rel := o.pos - start
			pad := (pad8(rel+4) - (rel + 4))
			var zero [8]byte
			if err := o.bytes(zero[:pad]); err != nil {
				return nil, err
			}
			var crc [4]byte
			binary.LittleEndian.PutUint32(crc[:], checksum(buf))
			if err := o.bytes(crc[:]); err != nil {
				return nil, err
			}
			off := o.pos - start
			if err := o.bytes(buf); err != nil {
				return nil, err
			}
			dict = binary.LittleEndian.AppendUint64(dict, off)
			dict = binary.LittleEndian.AppendUint32(dict, uint32(len(buf)))
			return binary.LittleEndian.AppendUint32(dict, uint32(len(list))), nil
		}
		for _, t := range uniKeys {
			var err error
			if uniDict, err = entry(uniDict, t.key, t.list); err != nil {
				return err
			}
		}
		for _, t := range pairKeys {
			var err error
			if pairDict, err = entry(pairDict, t.key, t.list); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	w.lists, w.uni, w.pairs = nil, nil, u32map{} // free them before the copies below
	uniTerms, pairTerms = nil, nil
	if err := o.section(secUnigrams, func() error { return o.bytes(uniDict) }); err != nil {
		return err
	}
	if err := o.section(secPairs, func() error { return o.bytes(pairDict) }); err != nil {
		return err
	}
	alpha := make([]uint32, len(w.alphabet))
	idx := make([]uint32, 0, 2*len(w.alphabet))
	order := make([]int, len(w.alphabet))
	for i, c := range w.alphabet {
		alpha[i] = uint32(c)
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return int(w.alphabet[a]) - int(w.alphabet[b]) })
	for _, i := range order {
		idx = append(idx, uint32(w.alphabet[i]), uint32(i))
	}
	if err := o.section(secAlphabet, func() error { return o.u32s(alpha) }); err != nil {
		return err
	}
	if err := o.section(secAlphaIdx, func() error { return o.u32s(idx) }); err != nil {
		return err
	}
	n := len(w.report)
	err = o.section(secColumns, func() error {
		for _, col := range [][]uint32{w.report, w.ordinal, w.offset, w.heading} {
			if err := o.u32s(col); err != nil {
				return err
			}
		}
		pg := make([]byte, 0, 2*n)
		for _, v := range w.page {
			pg = binary.LittleEndian.AppendUint16(pg, v)
		}
		for _, b := range [][]byte{pg, w.section, w.flags} {
			if err := o.bytes(b); err != nil {
				return err
			}
			if err := o.padTo8(); err != nil {
				return err
			}
		}
		if err := o.u64s(w.unitStart); err != nil {
			return err
		}
		return o.u64s(w.excStart)
	})
	if err != nil {
		return err
	}
	err = o.section(secReports, func() error {
		var b []byte
		for _, r := range w.reports {
			b = binary.LittleEndian.AppendUint32(b, r.first)
			b = binary.LittleEndian.AppendUint32(b, r.count)
			b = binary.LittleEndian.AppendUint64(b, r.off)
			b = binary.LittleEndian.AppendUint64(b, r.size)
		}
		if err := o.bytes(b); err != nil {
			return err
		}
		return o.bytes(w.records)
	})
	if err != nil {
		return err
	}
	err = o.section(secHeadings, func() error {
		offs := make([]uint64, 0, len(w.headings)+1)
		var body []byte
		for _, h := range w.headings {
			offs = append(offs, uint64(len(body)))
			body = append(body, h...)
		}
		offs = append(offs, uint64(len(body)))
		if err := o.u64s(offs); err != nil {
			return err
		}
		return o.bytes(body)
	})
	if err != nil {
		return err
	}
	if err := o.section(secUnits, func() error { return w.units.copyTo(o) }); err != nil {
		return err
	}
	if err := o.section(secUnitCRC, func() error { return o.u32s(w.unitCRCs) }); err != nil {
		return err
	}
	if err := o.section(secExcTable, func() error { return o.bytes(w.excW.encodeTable()) }); err != nil {
		return err
	}
	if err := o.section(secExc, func() error { return w.exc.copyTo(o) }); err != nil {
		return err
	}
	if err := o.section(secExcCRC, func() error { return o.u32s(w.excCRCs) }); err != nil {
		return err
	}
	var names []byte
	for i, a := range w.aux {
		id := uint32(secAuxBase + i)
		names = binary.LittleEndian.AppendUint32(names, id)
		names = binary.LittleEndian.AppendUint32(names, uint32(len(a.name)))
		names = append(names, a.name...)
		if err := o.section(id, func() error { return o.bytes(a.data) }); err != nil {
			return err
		}
	}
	if err := o.section(secAuxNames, func() error { return o.bytes(names) }); err != nil {
		return err
	}
	m := []uint64{uint64(n), uint64(len(w.reports)), w.unitN, uint64(len(w.alphabet)), uint64(len(uniKeys)),
		uint64(len(pairKeys)), w.exc.n, uint64(len(w.excW.order)), w.textN, uint64(len(w.headings)), uint64(len(w.aux))}
	return o.section(secMeta, func() error { return o.u64s(m) })
}

// u32map maps uint32 keys to int32 values by open addressing: the pair
// table is the writer's hottest structure, and a Go map spent most of the
// writer's time hashing.
type u32map struct {
	keys []uint32 // emptyKey where free
	vals []int32
	n    int
}

const emptyKey = 0xFFFFFFFF

// index returns the value of k, storing v for it first if it has none.
func (m *u32map) index(k uint32, v int32) int32 {
	if m.n*4 >= len(m.keys)*3 {
		m.grow()
	}
	mask := uint32(len(m.keys) - 1)
	for i := (k * 0x9E3779B1) & mask; ; i = (i + 1) & mask {
		switch m.keys[i] {
		case k:
			return m.vals[i]
		case emptyKey:
			m.keys[i], m.vals[i] = k, v
			m.n++
			return v
		}
	}
}

func (m *u32map) grow() {
	size := max(2*len(m.keys), 1<<16)
	old, oldVals := m.keys, m.vals
	m.keys, m.vals, m.n = make([]uint32, size), make([]int32, size), 0
	for i := range m.keys {
		m.keys[i] = emptyKey
	}
	for i, k := range old {
		if k != emptyKey {
			m.index(k, oldVals[i])
		}
	}
}

func (m *u32map) each(fn func(k uint32, v int32)) {
	for i, k := range m.keys {
		if k != emptyKey {
			fn(k, m.vals[i])
		}
	}
}
