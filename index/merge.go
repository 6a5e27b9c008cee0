package index

// Merging. Every Add writes new segments, so an index that grows a spring at
// a time collects small segments; each costs a little on every search. A
// merge rewrites some segments as one, dropping their deleted reports, and
// commits a generation without them. The policy is tiered, in the way of
// Lucene's: segments are grouped by the order of magnitude of their live
// text (tiers of ×4 from 1 MB), and when a tier holds MergeFactor segments
// they are merged. Each report is therefore rewritten about log4(n) times
// over the life of an index, never once per Add. A segment more than half
// deleted is rewritten too. Merged segments stay below MaxMergeBytes.

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"slices"

	"github.com/zhengce/zhengce/segment"
)

// MergeFactor is how many segments of a tier are merged at once.
const MergeFactor = 4

// MaxMergeBytes caps the live text of a merged segment (it bounds the
// memory a merge uses, about 3× this).
const MaxMergeBytes = 512 << 20

// Merge merges segments of the index in dir while the policy finds some to
// merge, committing a generation after each merge. With all set it merges
// every segment it can into as few as MaxMergeBytes allows. It returns how
// many segments it merged away.
func Merge(dir string, opts Options, all bool) (int, error) {
	merged := 0
	for {
		w, err := Update(dir, opts)
		if err != nil {
			return merged, err
		}
		plan, err := w.planMerge(all)
		if err != nil || len(plan) < 1 || (len(plan) == 1 && !w.sparse(plan[0])) {
			w.Abort()
			return merged, err
		}
		if err := w.merge(plan); err != nil {
			w.Abort()
			return merged, err
		}
		if _, err := w.Commit(); err != nil {
			return merged, err
		}
		merged += len(plan) - 1
	}
}

func liveBytes(si SegmentInfo) int64 {
	if si.Reports == 0 {
		return 0
	}
	return si.TextBytes * int64(si.Reports-len(si.Deleted)) / int64(si.Reports)
}

func (w *Writer) sparse(name string) bool {
	for _, si := range w.base.Segments {
		if si.Name == name {
			return len(si.Deleted)*2 > si.Reports
		}
	}
	return false
}

// planMerge picks the segments to merge next, in index order.
func (w *Writer) planMerge(all bool) ([]string, error) {
	if w.base == nil {
		return nil, nil
	}
	segs := w.base.Segments
	for _, si := range segs {
		if len(si.Deleted)*2 > si.Reports {
			return []string{si.Name}, nil
		}
	}
	if all {
		var plan []string
		var total int64
		for _, si := range segs {
			if b := liveBytes(si); total+b <= MaxMergeBytes || len(plan) == 0 {
				plan = append(plan, si.Name)
				total += b
			}
		}
		if len(plan) < 2 {
			return nil, nil
		}
		return plan, nil
	}
	tiers := map[int][]SegmentInfo{}
	for _, si := range segs {
		b := max(liveBytes(si), 1<<20)
		t := int(math.Log(float64(b)/float64(1<<20)) / math.Log(4))
		tiers[t] = append(tiers[t], si)
	}
	keys := make([]int, 0, len(tiers))
	for t := range tiers {
		keys = append(keys, t)
	}
	slices.Sort(keys)
	for _, t := range keys {
		group := tiers[t]
		if len(group) < MergeFactor {
			continue
		}
		slices.SortStableFunc(group, func(a, b SegmentInfo) int { return int(liveBytes(a) - liveBytes(b)) })
		var plan []string
		var total int64
		for _, si := range group[:min(len(group), 2*MergeFactor)] {
			if total+liveBytes(si) > MaxMergeBytes && len(plan) >= 2 {
				break
			}
			plan = append(plan, si.Name)
			total += liveBytes(si)
		}
		if len(plan) >= 2 {
			// Keep index order: older segments first.
			order := map[string]int{}
			for i, si := range segs {
				order[si.Name] = i
			}
			slices.SortFunc(plan, func(a, b string) int { return order[a] - order[b] })
			return plan, nil
		}
	}
	return nil, nil
}

// merge copies the live reports of the named segments into a new segment
// and drops the old ones from the generation the writer will commit.
func (w *Writer) merge(names []string) error {
	drop := map[string]bool{}
	for _, n := range names {
		drop[n] = true
	}
	for _, name := range names {
		r, err := segment.Open(filepath.Join(w.dir, name, dataFile))
		if err != nil {
			return indexDamaged(w.dir, err)
		}
		err = w.copyLive(name, r)
		r.Close()
		if err != nil {
			return err
		}
	}
	if err := w.finishSegment(); err != nil {
		return err
	}
	// The merged segment takes the place of the first one it replaces.
	var kept []SegmentInfo
	placed := false
	for _, si := range w.base.Segments {
		if !drop[si.Name] {
			kept = append(kept, si)
			continue
		}
		if !placed {
			kept = append(kept, w.newSegs...)
			placed = true
		}
	}
	base := *w.base
	base.Segments = kept
	w.base = &base
	w.newSegs = nil
	return nil
}

func (w *Writer) copyLive(name string, r *segment.Reader) error {
	secs, ok := r.Aux(auxSections)
	var secNames []string
	if !ok || json.Unmarshal(secs, &secNames) != nil {
		return indexDamaged(w.dir, fmt.Errorf("segment %s is damaged (section names): %w", name, ErrDamaged))
	}
	del := w.deleted[name]
	for i := 0; i < r.NumReports(); i++ {
		if del[i] {
			continue
		}
		ri, err := r.Report(i)
		if err != nil {
			return indexDamaged(w.dir, err)
		}
		var rep Report
		if err := decodeRecord(ri.Record, &rep); err != nil {
			return indexDamaged(w.dir, fmt.Errorf("segment %s report %d: %w", name, i, err))
		}
		ps, err := r.Paragraphs(ri.First, ri.First+ri.Count)
		if err != nil {
			return indexDamaged(w.dir, err)
		}
		for _, p := range ps {
			sec := ""
			if int(p.Section) < len(secNames) {
				sec = secNames[p.Section]
			}
			rep.Paragraphs = append(rep.Paragraphs, Paragraph{Ordinal: p.Ordinal, Offset: p.Offset, Page: p.Page,
				OCR: p.Flags&flagOCR != 0, Section: sec, Heading: p.Heading, Text: p.Text})
		}
		if w.cur == nil {
			if w.cur, err = w.newSegment(); err != nil {
				return err
			}
		}
		if err := w.cur.add(rep.ID, &rep, w.gen); err != nil {
			return err
		}
		if w.cur.text >= MaxMergeBytes {
			return errors.New("index: merge exceeds MaxMergeBytes")
		}
	}
	return nil
}
