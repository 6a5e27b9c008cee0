package saved

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/norm"
)

// The files of a store, in the index directory. Their names match none of
// the patterns package index removes (gen-*, seg-*, *.tmp).
const (
	FileName   = "saved.json"
	lockName   = "saved.lock"
	tempPrefix = ".saved-"
)

// fileFormat is the version of saved.json.
const fileFormat = 1

// MaxSearches bounds the saved searches of one index, so that the file (read
// whole on every change) stays small.
const MaxSearches = 500

// MaxNameRunes bounds a name.
const MaxNameRunes = 64

// Errors callers tell apart. ErrBadName and ErrExists are the user's
// mistakes (HTTP 400, exit status 2); so is index.ErrBadQuery from Save.
var (
	ErrBadName  = errors.New("bad name")
	ErrExists   = errors.New("a saved search of this name exists")
	ErrNotFound = errors.New("no saved search of this name")
	ErrTooMany  = fmt.Errorf("more than %d saved searches", MaxSearches)
	ErrDamaged  = errors.New("saved searches file is damaged")
)

// Search is one saved search.
type Search struct {
	Name     string    `json:"name"`
	Query    string    `json:"query"`
	Province []string  `json:"province,omitempty"`
	City     []string  `json:"city,omitempty"`
	District []string  `json:"district,omitempty"`
	Section  []string  `json:"section,omitempty"`
	YearFrom int       `json:"year_from,omitempty"`
	YearTo   int       `json:"year_to,omitempty"`
	Created  time.Time `json:"created"`
	Looked   time.Time `json:"looked"` // the last look
	// Reports are the reports that matched, by id.
	Reports map[string]Mark `json:"reports,omitempty"`
}

// Mark is what a saved search remembers of one matching report.
type Mark struct {
	// Hits is how many paragraphs matched at the last look; 0 if the
	// report was first seen matching after it.
	Hits int `json:"hits"`
	// Since is when the report was first seen matching, or seen matching
	// more paragraphs than before (a replaced report); Counted is how many
	// it matched then.
	Since   time.Time `json:"since"`
	Counted int       `json:"counted"`
}

// Request is the search as an index request.
func (s *Search) Request() index.Request {
	return index.Request{Query: s.Query, Province: s.Province, City: s.City, District: s.District,
		Section: s.Section, YearFrom: s.YearFrom, YearTo: s.YearTo}
}

// file is the content of saved.json.
type file struct {
	Format   int      `json:"format"`
	Searches []Search `json:"searches"`
}

func (f *file) find(name string) int {
	return slices.IndexFunc(f.Searches, func(s Search) bool { return s.Name == name })
}

// A Store is the saved searches of one index directory. It is safe for
// concurrent use, also by several processes.
type Store struct {
	dir string
	mu  sync.Mutex // serialises this process's changes; the flock serialises processes
	now func() time.Time
}

// Open returns the store of the index directory dir. It reads nothing: a
// directory without saved searches has an empty store.
func Open(dir string) *Store { return &Store{dir: dir, now: time.Now} }

// Dir is the directory of the store.
func (st *Store) Dir() string { return st.dir }

var namePattern = regexp.MustCompile(`^[\p{L}\p{N}_-]+$`)

// CheckName reports whether name can name a saved search: 1 to 64 letters
// (any script), digits, '-' and '_', so that it can stand in a URL path
// (/saved/NAME.atom) and a file name as it is.
func CheckName(name string) error {
	n := utf8.RuneCountInString(name)
	switch {
	case n == 0:
		return fmt.Errorf("saved: empty name: %w", ErrBadName)
	case n > MaxNameRunes:
		return fmt.Errorf("saved: name %q is %d characters long, more than %d: %w", name, n, MaxNameRunes, ErrBadName)
	case !utf8.ValidString(name) || !namePattern.MatchString(name):
		return fmt.Errorf("saved: name %q: want letters, digits, - and _ only: %w", name, ErrBadName)
	}
	return nil
}

// List returns every saved search, in the order they were saved.
func (st *Store) List() ([]Search, error) {
	f, err := st.read()
	if err != nil {
		return nil, err
	}
	return f.Searches, nil
}

// Get returns the saved search name.
func (st *Store) Get(name string) (*Search, error) {
	if err := CheckName(name); err != nil {
		return nil, err
	}
	f, err := st.read()
	if err != nil {
		return nil, err
	}
	i := f.find(name)
	if i < 0 {
		return nil, fmt.Errorf("saved: %q: %w", name, ErrNotFound)
	}
	return &f.Searches[i], nil
}

// Delete removes the saved search name.
func (st *Store) Delete(name string) error {
	if err := CheckName(name); err != nil {
		return err
	}
	return st.update(func(f *file) error {
		i := f.find(name)
		if i < 0 {
			return fmt.Errorf("saved: %q: %w", name, ErrNotFound)
		}
		f.Searches = slices.Delete(f.Searches, i, i+1)
		return nil
	})
}

// normalise puts a request's filters as the index folds them, so the same
// search saved twice looks the same.
func normalise(vs []string) []string {
	var out []string
	for _, v := range vs {
		if v = norm.Fold(strings.TrimSpace(v)); v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// read reads saved.json; a missing file is an empty store.
func (st *Store) read() (*file, error) {
	path := filepath.Join(st.dir, FileName)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if _, err := os.Stat(st.dir); err != nil {
			return nil, fmt.Errorf("saved: %w", err)
		}
		return &file{Format: fileFormat}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("saved: %w", err)
	}
	var f file
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("saved: %s: %v; repair or remove it: %w", path, err, ErrDamaged)
	}
	if f.Format != fileFormat {
		return nil, fmt.Errorf("saved: %s has format %d, this program reads %d: %w", path, f.Format, fileFormat, ErrDamaged)
	}
	for i := range f.Searches {
		s := &f.Searches[i]
		if CheckName(s.Name) != nil || (i > 0 && f.find(s.Name) < i) {
			return nil, fmt.Errorf("saved: %s: bad or repeated name %q: %w", path, s.Name, ErrDamaged)
		}
		if s.Reports == nil {
			s.Reports = map[string]Mark{}
		}
	}
	return &f, nil
}

// errUnchanged, returned by a change, leaves the file as it is.
var errUnchanged = errors.New("unchanged")

// update changes saved.json under the lock: it reads the file, calls
// change, and writes the result if change returns nil.
func (st *Store) update(change func(*file) error) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	lf, err := os.OpenFile(filepath.Join(st.dir, lockName), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return fmt.Errorf("saved: %w", err)
	}
	defer lf.Close()
	if err := syscall.Flock(int(lf.Fd()), syscall.LOCK_EX); err != nil {
		return fmt.Errorf("saved: locking %s: %w", lf.Name(), err)
	}
	f, err := st.read()
	if err != nil {
		return err
	}
	if err := change(f); err == errUnchanged {
		return nil
	} else if err != nil {
		return err
	}
	st.removeTemps()
	return st.write(f)
}

// write replaces saved.json with f: a temporary file, fsynced, renamed
// into place, the directory fsynced.
func (st *Store) write(f *file) error {
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return fmt.Errorf("saved: %w", err)
	}
	b = append(b, '\n')
	tmp, err := os.CreateTemp(st.dir, tempPrefix+"*")
	if err != nil {
		return fmt.Errorf("saved: %w", err)
	}
	fail := func(err error) error {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("saved: writing %s: %w", FileName, err)
	}
	if _, err := tmp.Write(b); err != nil {
		return fail(err)
	}
	if err := tmp.Sync(); err != nil {
		return fail(err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		return fail(err)
	}
	if err := os.Rename(tmp.Name(), filepath.Join(st.dir, FileName)); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("saved: writing %s: %w", FileName, err)
	}
	d, err := os.Open(st.dir)
	if err != nil {
		return fmt.Errorf("saved: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		return fmt.Errorf("saved: %w", err)
	}
	return nil
}

// removeTemps removes the temporary files of writers that died; the lock
// is held, so none is being written.
func (st *Store) removeTemps() {
	entries, _ := os.ReadDir(st.dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), tempPrefix) {
			os.Remove(filepath.Join(st.dir, e.Name()))
		}
	}
}
