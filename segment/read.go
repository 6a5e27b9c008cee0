package segment

// The segment file format.
//
// A segment is one file. Every integer is little-endian; every section
// starts at a multiple of 8 bytes from the start of the file.
//
//	header    "ZCSEG\x00\x00\x00" (8 bytes), version uint32, reserved uint32
//	sections  in any order, located by the table of contents
//	toc       count uint32, reserved uint32, then count entries of
//	          id uint32, crc uint32, offset uint64, size uint64
//	trailer   toc offset uint64, toc size uint32, toc crc uint32, "ZCSEGEND"
//
// Every crc is CRC-32 (IEEE) of the bytes it covers. The toc's crc covers
// the toc; each entry's crc covers its section. Open checks the header,
// the trailer, the toc, the bounds of every section and the crc of every
// section except the three large ones (postings, units, exceptions); those
// are checked piece by piece as they are read — a posting list against the
// crc before it, a 4 KiB chunk of units or of exceptions against its crc
// table the first time it is read — and in full by Verify. A file that
// fails a check is reported as damaged, never read.
//
// Sections (id, name: contents):
//
//	1 meta       fixed fields: paragraphs, reports, units, alphabet size,
//	             unigrams, pairs, exception bytes, exception table entries,
//	             original text bytes, headings, aux sections (uint64 each)
//	2 alphabet   the normalised characters in code order: rune uint32 each.
//	             Code i stands for alphabet[i]; at most 61,440 codes
//	3 alphaidx   (rune uint32, code uint32) pairs sorted by rune, for lookup
//	4 unigrams   dictionary of single characters, sorted by key (the rune)
//	5 pairs      dictionary of pairs, sorted by key (first << 32 | second)
//	6 postings   the posting lists of both dictionaries
//	7 columns    per paragraph, arrays one after another (n = paragraphs):
//	             report uint32[n], ordinal uint32[n], offset uint32[n],
//	             heading uint32[n], page uint16[n] (padded to 8),
//	             section uint8[n] (padded), flags uint8[n] (padded),
//	             unitStart uint64[n+1], excStart uint64[n+1]
//	8 reports    per report: first paragraph uint32, paragraphs uint32,
//	             record offset uint64, record size uint64 (24 bytes), then
//	             the records (opaque bytes of the caller)
//	9 headings   count+1 offsets uint64, then the heading strings
//	10 units     the normalised text of every paragraph as uint16 code units;
//	             paragraph p is units[unitStart[p]:unitStart[p+1]]
//	11 unitcrc   crc uint32 of every 2,048-unit chunk of units
//	12 exctable  the table of exceptions (see text.go)
//	13 except    the exceptions that restore each paragraph's original text
//	             from its normalised text (text.go); paragraph p's are
//	             except[excStart[p]:excStart[p+1]]
//	14 auxnames  per auxiliary section: id uint32, name length uint32, name
//	15 exccrc    crc uint32 of every 4 KiB chunk of except
//	100+ aux     named sections of the caller
//
// A dictionary entry is 24 bytes: key uint64, then a uint64, size uint32
// and cardinality uint32. A term found in one or two paragraphs has size 0
// and the paragraph numbers in the uint64 (low word first; both the same
// for one). Any other term's list is a portable roaring bitmap of size
// bytes at the uint64's offset in postings; the offset is a multiple of 8
// and the 4 bytes before it hold the crc of the list.
//
// Code units: a character whose code is below 0xF000 is that one unit; a
// character outside the alphabet (only when it is full) is two units,
// 0xF000 + rune>>11 and 0xF800 + rune&0x7FF. The three ranges are
// disjoint, so an aligned occurrence of a phrase's units is an occurrence
// of the phrase.
//
// A segment's paragraphs are numbered from 0 in the order they were added;
// a report's paragraphs are consecutive.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"sort"
	"sync/atomic"
	"unsafe"

	"github.com/RoaringBitmap/roaring/v2"
	mmap "github.com/blevesearch/mmap-go"
)

// Version is the format version this package reads and writes.
// Version 2: chunks of 4 KiB instead of 64 KiB, so that a cold process
// verifying a few thousand candidates checksums a few thousand times 4 KiB
// rather than most of the text (version 1 made `search 放管服` on a cold 1M
// index checksum 350 MB).
const Version = 2

const (
	magic        = "ZCSEG\x00\x00\x00"
	trailerMagic = "ZCSEGEND"
	headerSize   = 16
	trailerSize  = 24
	tocEntrySize = 24
	dictEntry    = 24
	unitChunk    = 2048 // units per unit crc
	excChunk     = 4096 // bytes per exception crc
	maxCodes     = 0xF000
	escHi        = 0xF000
	escLo        = 0xF800
)

// Section ids.
const (
	secMeta     = 1
	secAlphabet = 2
	secAlphaIdx = 3
	secUnigrams = 4
	secPairs    = 5
	secPostings = 6
	secColumns  = 7
	secReports  = 8
	secHeadings = 9
	secUnits    = 10
	secUnitCRC  = 11
	secExcTable = 12
	secExc      = 13
	secAuxNames = 14
	secExcCRC   = 15
	secAuxBase  = 100
)

// lazySections are checked piece by piece rather than at Open.
var lazySections = map[uint32]bool{secPostings: true, secUnits: true, secExc: true}

// ErrDamaged is wrapped by every error about a segment file that is
// truncated, corrupted or not a segment at all.
var ErrDamaged = errors.New("damaged")

// ErrVersion is wrapped by the error about a segment written by another
// version of the format.
var ErrVersion = errors.New("written by another format version")

var crcTable = crc32.IEEETable

func checksum(b []byte) uint32 { return crc32.Checksum(b, crcTable) }

type meta struct {
	Paragraphs, Reports, Units, Alphabet, Unigrams, Pairs uint64
	ExcBytes, ExcTable, TextBytes, Headings, Aux          uint64
}

const metaSize = 11 * 8

// A Reader is an open segment. Its methods are safe for concurrent use.
// The caller must call Close when finished; bitmaps and byte slices a
// Reader returns must not be used after that.
type Reader struct {
	path string
	f    *os.File
	data mmap.MMap
	m    meta

	sections map[uint32][]byte
	crcs     map[uint32]uint32

	alphabet []uint32 // code → rune
	alphaIdx []uint32 // rune, code pairs sorted by rune
	unigrams []byte
	pairs    []byte
	postings []byte

	report, ordinal, offset, heading []uint32
	page                             []uint16
	section, flags                   []uint8
	unitStart, excStart              []uint64

	reports  []byte
	headings []byte
	units    []byte // the code units, as bytes
	unitCRC  []uint32
	excTable []excEntry
	exc      []byte
	excCRC   []uint32
	aux      map[string]uint32

	unitOK    []atomic.Uint64 // bit per verified unit chunk
	excOK     []atomic.Uint64 // bit per verified exception chunk
	postingOK []atomic.Uint64 // bit per verified posting list (unigrams, then pairs)
}

// Open memory-maps the segment file at path and checks its structure.
func Open(path string) (*Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("segment: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("segment: %w", err)
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("segment %s: not a regular file: %w", path, ErrDamaged)
	}
	if st.Size() < headerSize+trailerSize {
		f.Close()
		return nil, fmt.Errorf("segment %s: %d bytes is too short: %w", path, st.Size(), ErrDamaged)
	}
	data, err := mmap.Map(f, mmap.RDONLY, 0)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("segment %s: mapping: %w", path, err)
	}
	r := &Reader{path: path, f: f, data: data}
	if err := r.init(); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

// OpenBytes reads a segment held in memory (for tests and fuzzing).
func OpenBytes(b []byte) (*Reader, error) {
	// The views below are cast to wider integers: give them an 8-aligned
	// copy, as a mapping is.
	buf := make([]uint64, (len(b)+7)/8)
	data := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(buf))), len(buf)*8)[:len(b)]
	copy(data, b)
	r := &Reader{path: "<memory>", data: data}
	if len(b) < headerSize+trailerSize {
		return nil, r.damaged("%d bytes is too short", len(b))
	}
	if err := r.init(); err != nil {
		return nil, err
	}
	return r, nil
}

// Path returns the file the segment was opened from.
func (r *Reader) Path() string { return r.path }

// Close unmaps the file.
func (r *Reader) Close() error {
	var err error
	if r.f != nil {
		if r.data != nil {
			err = r.data.Unmap()
		}
		if cerr := r.f.Close(); err == nil {
			err = cerr
		}
		r.f = nil
	}
	return err
}

func (r *Reader) damaged(format string, args ...any) error {
	return fmt.Errorf("segment %s is damaged (%s): %w", r.path, fmt.Sprintf(format, args...), ErrDamaged)
}

func (r *Reader) init() error {
	d := []byte(r.data)
	if string(d[:8]) != magic {
		return r.damaged("not a segment file")
	}
	if v := binary.LittleEndian.Uint32(d[8:]); v != Version {
		return fmt.Errorf("segment %s has format version %d, this program reads %d: %w", r.path, v, Version, ErrVersion)
	}
	t := d[len(d)-trailerSize:]
	if string(t[16:]) != trailerMagic {
		return r.damaged("no trailer: the file is truncated")
	}
	tocOff := binary.LittleEndian.Uint64(t)
	tocSize := uint64(binary.LittleEndian.Uint32(t[8:]))
	if tocOff > uint64(len(d)) || tocSize > uint64(len(d))-tocOff || tocOff+tocSize > uint64(len(d)-trailerSize) || tocSize < 8 {
		return r.damaged("table of contents out of bounds")
	}
	toc := d[tocOff : tocOff+tocSize]
	if checksum(toc) != binary.LittleEndian.Uint32(t[12:]) {
		return r.damaged("table of contents checksum mismatch")
	}
	n := uint64(binary.LittleEndian.Uint32(toc))
	if n > (tocSize-8)/tocEntrySize {
		return r.damaged("table of contents too short")
	}
	r.sections = make(map[uint32][]byte, n)
	r.crcs = make(map[uint32]uint32, n)
	for i := uint64(0); i < n; i++ {
		e := toc[8+i*tocEntrySize:]
		id := binary.LittleEndian.Uint32(e)
		crc := binary.LittleEndian.Uint32(e[4:])
		off := binary.LittleEndian.Uint64(e[8:])
		size := binary.LittleEndian.Uint64(e[16:])
		if off%8 != 0 || off < headerSize || off > tocOff || size > tocOff-off {
			return r.damaged("section %d out of bounds", id)
		}
		sec := d[off : off+size : off+size]
		if !lazySections[id] && checksum(sec) != crc {
			return r.damaged("section %d checksum mismatch", id)
		}
		r.sections[id] = sec
		r.crcs[id] = crc
	}
	ms := r.sections[secMeta]
	if len(ms) != metaSize {
		return r.damaged("meta section has %d bytes, want %d", len(ms), metaSize)
	}
	m := &r.m
	for i, p := range []*uint64{&m.Paragraphs, &m.Reports, &m.Units, &m.Alphabet, &m.Unigrams, &m.Pairs,
		&m.ExcBytes, &m.ExcTable, &m.TextBytes, &m.Headings, &m.Aux} {
		*p = binary.LittleEndian.Uint64(ms[i*8:])
	}
	// Every count is bounded by the file's size before it is multiplied
	// by anything, so no product overflows.
	size := uint64(len(d))
	if m.Paragraphs >= 1<<31 || m.Paragraphs > size || m.Reports > m.Paragraphs || m.Alphabet > maxCodes ||
		m.Headings > size || m.Unigrams > size || m.Pairs > size || m.Units > size || m.ExcBytes > size ||
		m.TextBytes >= 1<<62 || m.ExcTable > excTableMax || m.Aux > size {
		return r.damaged("impossible counts")
	}
	np := m.Paragraphs
	need := func(id uint32, size uint64) ([]byte, error) {
		s, ok := r.sections[id]
		if !ok {
			return nil, r.damaged("section %d missing", id)
		}
		if uint64(len(s)) != size {
			return nil, r.damaged("section %d has %d bytes, want %d", id, len(s), size)
		}
		return s, nil
	}
	var err error
	var b []byte
	if b, err = need(secAlphabet, 4*m.Alphabet); err != nil {
		return err
	}
	r.alphabet = u32s(b)
	if b, err = need(secAlphaIdx, 8*m.Alphabet); err != nil {
		return err
	}
	r.alphaIdx = u32s(b)
	if r.unigrams, err = need(secUnigrams, dictEntry*m.Unigrams); err != nil {
		return err
	}
	if r.pairs, err = need(secPairs, dictEntry*m.Pairs); err != nil {
		return err
	}
	if r.postings, err = need(secPostings, uint64(len(r.sections[secPostings]))); err != nil {
		return err
	}
	cols, err := need(secColumns, columnsSize(np))
	if err != nil {
		return err
	}
	r.splitColumns(cols, np)
	if r.reports, err = need(secReports, uint64(len(r.sections[secReports]))); err != nil {
		return err
	}
	if uint64(len(r.reports)) < 24*m.Reports {
		return r.damaged("report table too short")
	}
	if r.headings, err = need(secHeadings, uint64(len(r.sections[secHeadings]))); err != nil {
		return err
	}
	if uint64(len(r.headings)) < 8*(m.Headings+1) {
		return r.damaged("heading table too short")
	}
	if r.units, err = need(secUnits, 2*m.Units); err != nil {
		return err
	}
	chunks := (m.Units + unitChunk - 1) / unitChunk
	if b, err = need(secUnitCRC, 4*chunks); err != nil {
		return err
	}
	r.unitCRC = u32s(b)
	if b, err = need(secExcTable, uint64(len(r.sections[secExcTable]))); err != nil {
		return err
	}
	var ok bool
	if r.excTable, ok = decodeExcTable(b); !ok || uint64(len(r.excTable)) != m.ExcTable {
		return r.damaged("exception table")
	}
	if r.exc, err = need(secExc, m.ExcBytes); err != nil {
		return err
	}
	excChunks := (m.ExcBytes + excChunk - 1) / excChunk
	if b, err = need(secExcCRC, 4*excChunks); err != nil {
		return err
	}
	r.excCRC = u32s(b)
	if r.unitStart[np] != m.Units || r.excStart[np] != m.ExcBytes || r.unitStart[0] != 0 || r.excStart[0] != 0 {
		return r.damaged("paragraph bounds do not match the text")
	}
	if err := r.readAuxNames(); err != nil {
		return err
	}
	r.unitOK = make([]atomic.Uint64, (chunks+63)/64)
	r.excOK = make([]atomic.Uint64, (excChunks+63)/64)
	r.postingOK = make([]atomic.Uint64, (m.Unigrams+m.Pairs+63)/64)
	return nil
}

func columnsSize(n uint64) uint64 {
	return 16*n + pad8(2*n) + 2*pad8(n) + 16*(n+1)
}

func pad8(n uint64) uint64 { return (n + 7) &^ 7 }

func (r *Reader) splitColumns(b []byte, n uint64) {
	take := func(size uint64) []byte {
		s := b[:size:size]
		b = b[size:]
		return s
	}
	r.report = u32s(take(4 * n))
	r.ordinal = u32s(take(4 * n))
	r.offset = u32s(take(4 * n))
	r.heading = u32s(take(4 * n))
	r.page = u16s(take(pad8(2 * n)))[:n]
	r.section = take(pad8(n))[:n]
	r.flags = take(pad8(n))[:n]
	r.unitStart = u64s(take(8 * (n + 1)))
	r.excStart = u64s(take(8 * (n + 1)))
}

func (r *Reader) readAuxNames() error {
	r.aux = map[string]uint32{}
	b := r.sections[secAuxNames]
	for k := uint64(0); k < r.m.Aux; k++ {
		if len(b) < 8 {
			return r.damaged("aux names too short")
		}
		id := binary.LittleEndian.Uint32(b)
		n := binary.LittleEndian.Uint32(b[4:])
		if uint64(n) > uint64(len(b)-8) {
			return r.damaged("aux names too short")
		}
		name := string(b[8 : 8+n])
		b = b[8+n:]
		if _, ok := r.sections[id]; !ok || id < secAuxBase {
			return r.damaged("aux section %q missing", name)
		}
		r.aux[name] = id
	}
	return nil
}

func u32s(b []byte) []uint32 {
	if len(b) == 0 {
		return nil
	}
	return unsafe.Slice((*uint32)(unsafe.Pointer(&b[0])), len(b)/4)
}

func u16s(b []byte) []uint16 {
	if len(b) == 0 {
		return nil
	}
	return unsafe.Slice((*uint16)(unsafe.Pointer(&b[0])), len(b)/2)
}

func u64s(b []byte) []uint64 {
	if len(b) == 0 {
		return nil
	}
	return unsafe.Slice((*uint64)(unsafe.Pointer(&b[0])), len(b)/8)
}

// Checksums checks the checksum of every section, including the large
// sections Open checks piece by piece as they are read: every byte of the
// file, at the speed of CRC-32 (a few milliseconds for 20 MB).
func (r *Reader) Checksums() error {
	for id, sec := range r.sections {
		if checksum(sec) != r.crcs[id] {
			return r.damaged("section %d checksum mismatch", id)
		}
	}
	return nil
}

// Verify does what Checksums does and checks the structure of every posting
// list and paragraph, which a checksum cannot: damage written by the writer
// itself. It decodes everything, so it costs far more than Checksums.
func (r *Reader) Verify() error {
	if err := r.Checksums(); err != nil {
		return err
	}
	for k := uint64(0); k < r.m.Unigrams+r.m.Pairs; k++ {
		if _, err := r.postingAt(int(k)); err != nil {
			return err
		}
	}
	for p := uint64(0); p < r.m.Paragraphs; p++ {
		if r.unitStart[p] > r.unitStart[p+1] || r.excStart[p] > r.excStart[p+1] {
			return r.damaged("paragraph %d bounds", p)
		}
		if _, err := r.text(uint32(p)); err != nil {
			return err
		}
		if uint64(r.report[p]) >= r.m.Reports || uint64(r.heading[p]) >= r.m.Headings+1 {
			return r.damaged("paragraph %d columns", p)
		}
	}
	return nil
}

// NumParagraphs returns the number of paragraphs.
func (r *Reader) NumParagraphs() int { return int(r.m.Paragraphs) }

// NumReports returns the number of reports.
func (r *Reader) NumReports() int { return int(r.m.Reports) }

// Units returns the total length of the normalised text in code units.
func (r *Reader) Units() int64 { return int64(r.m.Units) }

// TextBytes returns the total length of the original text.
func (r *Reader) TextBytes() int64 { return int64(r.m.TextBytes) }

// ReportInfo is one report of a segment: its paragraphs First … First+Count-1
// and the record its writer stored.
type ReportInfo struct {
	First, Count int
	Record       []byte // aliases the mapping: copy to keep
}

// Report returns report i (0 ≤ i < NumReports).
func (r *Reader) Report(i int) (ReportInfo, error) {
	if i < 0 || uint64(i) >= r.m.Reports {
		return ReportInfo{}, fmt.Errorf("segment %s: no report %d", r.path, i)
	}
	e := r.reports[24*i:]
	first := uint64(binary.LittleEndian.Uint32(e))
	count := uint64(binary.LittleEndian.Uint32(e[4:]))
	off := binary.LittleEndian.Uint64(e[8:])
	size := binary.LittleEndian.Uint64(e[16:])
	recs := r.reports[24*r.m.Reports:]
	if first > r.m.Paragraphs || count > r.m.Paragraphs-first || off > uint64(len(recs)) || size > uint64(len(recs))-off {
		return ReportInfo{}, r.damaged("report %d out of bounds", i)
	}
	return ReportInfo{First: int(first), Count: int(count), Record: recs[off : off+size : off+size]}, nil
}

// ReportOf returns the report of paragraph p. p must be in range.
func (r *Reader) ReportOf(p uint32) uint32 { return r.report[p] }

// OrdinalOf returns the ordinal of paragraph p in its report. p must be in
// range.
func (r *Reader) OrdinalOf(p uint32) int { return int(r.ordinal[p]) }

// SectionOf returns the section code of paragraph p. p must be in range.
func (r *Reader) SectionOf(p uint32) uint8 { return r.section[p] }

// Sections returns the section column (one code per paragraph). It aliases
// the mapping: do not modify.
func (r *Reader) Sections() []uint8 { return r.section }

// Reports returns the report column (one report number per paragraph). It
// aliases the mapping: do not modify.
func (r *Reader) Reports() []uint32 { return r.report }

// Paragraph is one paragraph as stored.
type Paragraph struct {
	Report  int
	Ordinal int
	Offset  int
	Page    int
	Section uint8
	Flags   uint8
	Heading string
	Text    string
}

// Paragraph returns paragraph p with its original text.
func (r *Reader) Paragraph(p int) (Paragraph, error) {
	ps, err := r.Paragraphs(p, p+1)
	if err != nil {
		return Paragraph{}, err
	}
	return ps[0], nil
}

// Paragraphs returns paragraphs from … to-1.
func (r *Reader) Paragraphs(from, to int) ([]Paragraph, error) {
	if from < 0 || to < from || uint64(to) > r.m.Paragraphs {
		return nil, fmt.Errorf("segment %s: no paragraphs %d..%d", r.path, from, to)
	}
	out := make([]Paragraph, 0, to-from)
	for p := from; p < to; p++ {
		text, err := r.text(uint32(p))
		if err != nil {
			return nil, err
		}
		h, err := r.headingText(r.heading[p])
		if err != nil {
			return nil, err
		}
		out = append(out, Paragraph{
			Report: int(r.report[p]), Ordinal: int(r.ordinal[p]), Offset: int(r.offset[p]),
			Page: int(r.page[p]), Section: r.section[p], Flags: r.flags[p], Heading: h,
			Text: text,
		})
	}
	return out, nil
}

// text restores the original text of paragraph p.
func (r *Reader) text(p uint32) (string, error) {
	b, err := r.paragraphUnits(p)
	if err != nil {
		return "", err
	}
	a, z := r.excStart[p], r.excStart[p+1]
	if a > z || z > r.m.ExcBytes {
		return "", r.damaged("exceptions of paragraph %d out of bounds", p)
	}
	if err := r.checkChunks(r.exc, r.excCRC, r.excOK, a, z, excChunk, "exception"); err != nil {
		return "", err
	}
	units := u16s(b)
	out, ok := r.restore(make([]byte, 0, len(units)*3+int(z-a)), units, r.exc[a:z])
	if !ok {
		return "", r.damaged("text of paragraph %d", p)
	}
	return string(out), nil
}

func (r *Reader) headingText(i uint32) (string, error) {
	if uint64(i) >= r.m.Headings {
		if uint64(i) == r.m.Headings { // none
			return "", nil
		}
		return "", r.damaged("heading %d out of range", i)
	}
	off := u64s(r.headings[:8*(r.m.Headings+1)])
	body := r.headings[8*(r.m.Headings+1):]
	a, b := off[i], off[i+1]
	if a > b || b > uint64(len(body)) {
		return "", r.damaged("heading %d out of bounds", i)
	}
	return string(body[a:b]), nil
}

// Aux returns the auxiliary section stored under name, or nil and false.
// The bytes alias the mapping: copy to keep.
func (r *Reader) Aux(name string) ([]byte, bool) {
	id, ok := r.aux[name]
	if !ok {
		return nil, false
	}
	return r.sections[id], true
}

// code returns the code units of rune c in this segment, or ok false if c
// never occurs in it.
func (r *Reader) code(c rune, dst []uint16) ([]uint16, bool) {
	n := len(r.alphaIdx) / 2
	i := sort.Search(n, func(i int) bool { return r.alphaIdx[2*i] >= uint32(c) })
	if i < n && r.alphaIdx[2*i] == uint32(c) {
		return append(dst, uint16(r.alphaIdx[2*i+1])), true
	}
	if r.m.Alphabet < maxCodes {
		return dst, false
	}
	return append(dst, escHi+uint16(c>>11), escLo+uint16(c&0x7FF)), true
}

// encode returns the code units of the normalised phrase p as bytes, or
// ok false if one of its characters never occurs in the segment.
func (r *Reader) encode(p []rune) ([]byte, bool) {
	units := make([]uint16, 0, len(p))
	for _, c := range p {
		var ok bool
		if units, ok = r.code(c, units); !ok {
			return nil, false
		}
	}
	out := make([]byte, 2*len(units))
	for i, u := range units {
		binary.LittleEndian.PutUint16(out[2*i:], u)
	}
	return out, true
}

// lookup finds key in a dictionary and returns the entry's index.
func lookup(dict []byte, key uint64) (int, bool) {
	n := len(dict) / dictEntry
	i := sort.Search(n, func(i int) bool { return binary.LittleEndian.Uint64(dict[i*dictEntry:]) >= key })
	if i < n && binary.LittleEndian.Uint64(dict[i*dictEntry:]) == key {
		return i, true
	}
	return 0, false
}

// postingAt returns the posting list of dictionary entry k, counting the
// unigram entries first, then the pair entries.
func (r *Reader) postingAt(k int) (*roaring.Bitmap, error) {
	dict, i := r.unigrams, k
	if uint64(k) >= r.m.Unigrams {
		dict, i = r.pairs, k-int(r.m.Unigrams)
	}
	e := dict[i*dictEntry : (i+1)*dictEntry]
	a := binary.LittleEndian.Uint64(e[8:])
	size := uint64(binary.LittleEndian.Uint32(e[16:]))
	card := binary.LittleEndian.Uint32(e[20:])
	if size == 0 { // inline
		p0, p1 := uint32(a), uint32(a>>32)
		if card < 1 || card > 2 || uint64(p0) >= r.m.Paragraphs || uint64(p1) >= r.m.Paragraphs || (card == 2 && p1 <= p0) {
			return nil, r.damaged("posting %d", k)
		}
		if card == 1 {
			return roaring.BitmapOf(p0), nil
		}
		return roaring.BitmapOf(p0, p1), nil
	}
	if a < 8 || a%8 != 0 || a > uint64(len(r.postings)) || size > uint64(len(r.postings))-a {
		return nil, r.damaged("posting %d out of bounds", k)
	}
	list := r.postings[a : a+size : a+size]
	word, bit := k/64, uint64(1)<<(k%64)
	if r.postingOK[word].Load()&bit == 0 {
		if checksum(list) != binary.LittleEndian.Uint32(r.postings[a-4:]) {
			return nil, r.damaged("posting %d checksum mismatch", k)
		}
		r.postingOK[word].Or(bit)
	}
	bm, err := readBitmap(list)
	if err != nil || bm.GetCardinality() != uint64(card) || (card > 0 && uint64(bm.Maximum()) >= r.m.Paragraphs) {
		return nil, r.damaged("posting %d: bad bitmap", k)
	}
	return bm, nil
}

func readBitmap(b []byte) (bm *roaring.Bitmap, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("bad bitmap: %v", p)
		}
	}()
	bm = roaring.New()
	if _, err := bm.FromUnsafeBytes(b); err != nil {
		return nil, err
	}
	return bm, nil
}

// Unigram returns the paragraphs containing the normalised character c
// (an empty bitmap if none).
func (r *Reader) Unigram(c rune) (*roaring.Bitmap, error) {
	i, ok := lookup(r.unigrams, uint64(c))
	if !ok {
		return roaring.New(), nil
	}
	return r.postingAt(i)
}

// Pair returns the paragraphs containing the normalised characters a b
// next to each other.
func (r *Reader) Pair(a, b rune) (*roaring.Bitmap, error) {
	i, ok := lookup(r.pairs, pairKey(a, b))
	if !ok {
		return roaring.New(), nil
	}
	return r.postingAt(int(r.m.Unigrams) + i)
}

// PairCardinality returns how many paragraphs contain the pair a b, from
// the dictionary alone.
func (r *Reader) PairCardinality(a, b rune) int {
	i, ok := lookup(r.pairs, pairKey(a, b))
	if !ok {
		return 0
	}
	return int(binary.LittleEndian.Uint32(r.pairs[i*dictEntry+20:]))
}

func pairKey(a, b rune) uint64 { return uint64(uint32(a))<<32 | uint64(uint32(b)) }

// paragraphUnits returns the code units of paragraph p as bytes, checking
// the crc of every chunk they lie in the first time it is read.
func (r *Reader) paragraphUnits(p uint32) ([]byte, error) {
	a, b := r.unitStart[p], r.unitStart[p+1]
	if a > b || b > r.m.Units {
		return nil, r.damaged("units of paragraph %d out of bounds", p)
	}
	if a == b {
		return nil, nil
	}
	if err := r.checkChunks(r.units, r.unitCRC, r.unitOK, 2*a, 2*b, 2*unitChunk, "normalised text"); err != nil {
		return nil, err
	}
	return r.units[2*a : 2*b], nil
}

// checkChunks checks, the first time each is read, the crc of every chunk
// of data that bytes a … b-1 lie in.
func (r *Reader) checkChunks(data []byte, crcs []uint32, ok []atomic.Uint64, a, b, chunk uint64, what string) error {
	if a == b {
		return nil
	}
	for c := a / chunk; c <= (b-1)/chunk; c++ {
		word, bit := c/64, uint64(1)<<(c%64)
		if ok[word].Load()&bit != 0 {
			continue
		}
		lo, hi := c*chunk, min((c+1)*chunk, uint64(len(data)))
		if checksum(data[lo:hi]) != crcs[c] {
			return r.damaged("%s chunk %d checksum mismatch", what, c)
		}
		ok[word].Or(bit)
	}
	return nil
}

// containsUnits reports whether the aligned units of text contain the
// units of phrase.
func containsUnits(text, phrase []byte) bool {
	for len(text) >= len(phrase) {
		i := bytes.Index(text, phrase)
		if i < 0 {
			return false
		}
		if i%2 == 0 {
			return true
		}
		// A match at an odd byte straddles two units; the next aligned
		// search starts at i+1, which is even.
		text = text[i+1:]
	}
	return false
}
