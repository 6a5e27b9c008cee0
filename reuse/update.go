package reuse

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"syscall"

	"github.com/zhengce/zhengce/index"
)

// Update computes the table of the index in dir and stores it there,
// unless the file there already describes the index's generation. The
// indexer calls it after every commit. A generation that holds exactly the
// reports of the stored table (a merge of segments) is not compared again:
// the table is renumbered and stamped with it.
func Update(ctx context.Context, dir string) (Stats, error) {
	ix, err := index.Open(dir)
	if err != nil {
		return Stats{}, err
	}
	defer ix.Close()
	gen := ix.Manifest().Generation
	if b, err := os.ReadFile(filepath.Join(dir, FileName)); err == nil {
		if old, err := Decode(FileName, b); err == nil && old.Params == (Params{}).withDefaults() {
			if old.Generation == gen {
				return Stats{}, nil
			}
			infos, err := ix.Reports(ctx)
			if err != nil {
				return Stats{}, err
			}
			if t, ok := restamp(old, infos, gen); ok {
				return Stats{}, Write(dir, t)
			}
		}
	}
	t, st, err := Compute(ctx, ix, Params{})
	if err != nil {
		return st, err
	}
	return st, Write(dir, t)
}

// restamp returns t for generation gen, whose reports are infos, if infos
// are t's reports (the same ids, added by the same generations) in any
// order.
func restamp(t *Table, infos []index.ReportInfo, gen int) (*Table, bool) {
	if len(infos) != len(t.Reports) {
		return nil, false
	}
	// to[i] is the new number of t's report i.
	to := make([]int, len(t.Reports))
	for j := range infos {
		i, ok := t.byID[infos[j].ID]
		if !ok || t.Reports[i].Added != infos[j].Added {
			return nil, false
		}
		to[i] = j
	}
	out := &Table{Generation: gen, Params: t.Params, Places: t.Places, BoilerplatePlaces: t.BoilerplatePlaces,
		Reports: make([]Report, len(t.Reports))}
	renumber := func(ms []Match) []Match {
		out := make([]Match, len(ms))
		for k, m := range ms {
			m.Report = to[m.Report]
			out[k] = m
		}
		return out
	}
	for i, r := range t.Reports {
		r.Marks = slices.Clone(r.Marks)
		for k := range r.Marks {
			r.Marks[k].Found = renumber(r.Marks[k].Found)
			r.Marks[k].SameFound = renumber(r.Marks[k].SameFound)
		}
		out.Reports[to[i]] = r
	}
	out.Pairs = slices.Clone(t.Pairs)
	for k := range out.Pairs {
		out.Pairs[k].A, out.Pairs[k].B = to[out.Pairs[k].A], to[out.Pairs[k].B]
	}
	out.Passages = slices.Clone(t.Passages)
	for k := range out.Passages {
		p := &out.Passages[k]
		p.Report = to[p.Report]
		p.Reports = slices.Clone(p.Reports)
		for j := range p.Reports {
			p.Reports[j] = to[p.Reports[j]]
		}
	}
	out.index()
	return out, true
}

// Load returns the table of the generation ix serves: the stored one if
// it describes that generation, else one computed now (and not stored: a
// reader does not write the index).
func Load(ctx context.Context, ix *index.Index) (*Table, error) {
	t, err := Read(ix.Dir(), ix.Manifest().Generation)
	if err == nil {
		return t, nil
	}
	if !errors.Is(err, ErrStale) && !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, ErrDamaged) {
		return nil, err
	}
	t, _, err = Compute(ctx, ix, Params{})
	return t, err
}

// A Cache keeps the table of the generation an index serves, for a server
// whose index changes under it (index.Index.Watch). It is safe for
// concurrent use.
type Cache struct {
	ix *index.Index

	mu   sync.Mutex // guards t and seen
	t    *Table
	seen fileStamp // of the reuse file when it was last read
}

// fileStamp tells whether a file changed.
type fileStamp struct {
	ino           uint64
	size, modTime int64
}

// NewCache returns a Cache over ix.
func NewCache(ix *index.Index) *Cache { return &Cache{ix: ix} }

// Table returns the table of the generation ix serves. The first call
// reads the stored table, or computes one if none is stored for that
// generation. When the index later moves to a new generation, the indexer
// stores its table just after committing it: until the file changes,
// Table returns the previous table, which is still right for every report
// the two generations share.
func (c *Cache) Table(ctx context.Context) (*Table, error) {
	gen := c.ix.Manifest().Generation
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.t != nil && c.t.Generation == gen {
		return c.t, nil
	}
	path := filepath.Join(c.ix.Dir(), FileName)
	var stamp fileStamp
	if st, err := os.Stat(path); err == nil {
		stamp = fileStamp{size: st.Size(), modTime: st.ModTime().UnixNano()}
		if sys, ok := st.Sys().(*syscall.Stat_t); ok {
			stamp.ino = sys.Ino
		}
	}
	if c.t != nil && stamp == c.seen {
		return c.t, nil
	}
	c.seen = stamp
	t, err := Read(c.ix.Dir(), gen)
	switch {
	case err == nil:
		c.t = t
	case c.t != nil:
		// The file changed but is not this generation's yet.
	default:
		if t, err = Load(ctx, c.ix); err != nil {
			return nil, fmt.Errorf("reuse: %w", err)
		}
		c.t = t
	}
	return c.t, nil
}
