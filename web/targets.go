package web

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/csv"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/internal/csvexport"
	"github.com/zhengce/zhengce/targets"
)

// Parameters of /targets, /api/targets and /targets.csv.
const paramIndicator = "indicator"

var (
	targetsFilterParams = []string{paramProvince, paramCity, paramDistrict, paramYear, paramIndicator}
	targetsPageParams   = append(slices.Clone(targetsFilterParams), paramSize)
)

// Places shown on /targets by default and at most; the API and the CSV
// have every row.
const (
	defaultTargetPlaces = 50
	maxTargetPlaces     = 1000
)

// targetsRoutes adds the table of 主要预期目标.
func (s *Server) targetsRoutes(e *echo.Echo, methods []string) {
	e.Match(methods, "/targets", s.targetsPage)
	e.Match(methods, "/api/targets", s.apiTargets)
	e.Match(methods, "/targets.csv", s.targetsCSV)
}

// targetsFilter is what the rows of the table are narrowed to.
type targetsFilter struct {
	Province  string `json:"province,omitempty"`
	City      string `json:"city,omitempty"`
	District  string `json:"district,omitempty"`
	Year      string `json:"year,omitempty"`
	Indicator string `json:"indicator,omitempty"` // canonical name
	yearFrom  int
	yearTo    int
	asWritten string // the indicator as the URL gives it
}

func readTargetsFilter(v url.Values, allowed []string) (targetsFilter, error) {
	var f targetsFilter
	if err := checkNames(v, allowed); err != nil {
		return f, err
	}
	for _, p := range []struct {
		name string
		dst  *string
	}{{paramProvince, &f.Province}, {paramCity, &f.City}, {paramDistrict, &f.District}, {paramIndicator, &f.asWritten}} {
		s, err := single(v, p.name)
		if err != nil {
			return f, err
		}
		if *p.dst = strings.TrimSpace(s); len([]rune(*p.dst)) > maxFilterRunes {
			return f, &paramError{Param: p.name, Value: s, Want: fmt.Sprintf("最长 %d 个字符", maxFilterRunes)}
		}
	}
	if f.asWritten != "" {
		f.Indicator = targets.Canonical(f.asWritten)
	}
	year, err := single(v, paramYear)
	if err != nil {
		return f, err
	}
	if f.yearFrom, f.yearTo, err = parseYear(year); err != nil {
		return f, err
	}
	f.Year = formatYear(f.yearFrom, f.yearTo)
	return f, nil
}

func (f targetsFilter) keep(r targets.Row) bool {
	return (f.Province == "" || r.Province == f.Province) && (f.City == "" || r.City == f.City) &&
		(f.District == "" || r.District == f.District) && (f.Indicator == "" || r.Indicator == f.Indicator) &&
		(f.yearFrom == 0 || r.Year >= f.yearFrom) && (f.yearTo == 0 || r.Year <= f.yearTo)
}

func (f targetsFilter) values() url.Values {
	q := url.Values{}
	for _, p := range [][2]string{{paramProvince, f.Province}, {paramCity, f.City}, {paramDistrict, f.District}, {paramYear, f.Year}, {paramIndicator, f.asWritten}} {
		if p[1] != "" {
			q.Set(p[0], p[1])
		}
	}
	return q
}

// targetsCache keeps the table of the reports it was computed from: it is
// read from the text of every report, too much to do per request. It is
// computed in the background, so that a computation longer than one
// request's deadline still ends and serves the requests after it, and
// again when the index serves other reports (a new generation).
type targetsCache struct {
	mu  sync.Mutex
	job *targetsJob // the latest computation
}

// targetsJob is one computation of the table; done is closed when rows
// and err are set.
type targetsJob struct {
	key  [32]byte
	done chan struct{}
	rows []targets.Row
	err  error
}

// targetsTimeout bounds one computation of the table.
const targetsTimeout = 10 * time.Minute

func newTargetsCache() *targetsCache { return &targetsCache{} }

// reportsKey fingerprints the reports an index serves.
func reportsKey(infos []index.ReportInfo) [32]byte {
	h := sha256.New()
	var n [8]byte
	for _, r := range infos {
		h.Write([]byte(r.ID))
		h.Write([]byte{0})
		for _, x := range []int{r.Added, r.Paragraphs, r.Chars, r.Year} {
			binary.LittleEndian.PutUint64(n[:], uint64(x))
			h.Write(n[:])
		}
	}
	var k [32]byte
	h.Sum(k[:0])
	return k
}

// targetRows returns targets.Table of every report of the index. The rows
// are shared: do not modify them.
func (s *Server) targetRows(ctx context.Context) ([]targets.Row, error) {
	infos, err := s.searcher.Reports(ctx)
	if err != nil {
		return nil, err
	}
	key := reportsKey(infos)
	c := s.targets
	c.mu.Lock()
	job := c.job
	if job != nil && job.key == key {
		select {
		case <-job.done:
			if job.err != nil {
				job = nil // a failed computation is tried again
			}
		default:
		}
	} else {
		job = nil
	}
	if job == nil {
		job = &targetsJob{key: key, done: make(chan struct{})}
		c.job = job
		go func() {
			defer close(job.done)
			ctx, cancel := context.WithTimeout(context.Background(), targetsTimeout)
			defer cancel()
			job.rows, job.err = s.computeTargets(ctx, infos)
			if job.err != nil {
				s.errorLog.Printf("targets table: %v", job.err)
			}
		}()
	}
	c.mu.Unlock()
	select {
	case <-job.done:
		return job.rows, job.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// computeTargets reads every dated report and makes the table. Each
// report is read, and the table made, in a search slot.
func (s *Server) computeTargets(ctx context.Context, infos []index.ReportInfo) (rows []targets.Row, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &panicError{value: r, stack: debug.Stack()}
		}
	}()
	var reports []*index.Report
	for _, ri := range infos {
		if ri.Year == 0 {
			continue // targets.Table skips them
		}
		r, err := s.searcher.Report(ctx, ri.ID, "")
		if err != nil {
			return nil, fmt.Errorf("report %q: %w", ri.ID, err)
		}
		reports = append(reports, r)
	}
	rows, err = limited(ctx, s.searcher, "targets", func() ([]targets.Row, error) {
		return targets.Table(reports), nil
	})
	if err == nil && rows == nil {
		rows = []targets.Row{}
	}
	return rows, err
}

// filteredTargets reads the filter and returns the rows it keeps.
func (s *Server) filteredTargets(c echo.Context, allowed []string) (targetsFilter, []targets.Row, error) {
	f, err := readTargetsFilter(c.QueryParams(), allowed)
	if err != nil {
		return f, nil, err
	}
	all, err := s.targetRows(c.Request().Context())
	if err != nil {
		return f, nil, err
	}
	rows := []targets.Row{}
	for _, r := range all {
		if f.keep(r) {
			rows = append(rows, r)
		}
	}
	return f, rows, nil
}

// targetsDoc is the JSON of /api/targets.
type targetsDoc struct {
	Filters targetsFilter `json:"filters"`
	Total   int           `json:"total"`
	Rows    []targets.Row `json:"rows"` // targets.Table, the rows of `search targets -json`
}

// apiTargets serves /api/targets.
func (s *Server) apiTargets(c echo.Context) error {
	f, rows, err := s.filteredTargets(c, targetsFilterParams)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, targetsDoc{Filters: f, Total: len(rows), Rows: rows})
}

// targetsColumns are the columns of /targets.csv, those of `search targets
// -csv`.
var targetsColumns = []string{"province", "city", "district", "level", "year", "indicator", "kind", "target", "target_source", "achieved", "achieved_source"}

// targetsCSV serves /targets.csv.
func (s *Server) targetsCSV(c echo.Context) error {
	_, rows, err := s.filteredTargets(c, targetsFilterParams)
	if err != nil {
		return err
	}
	w := c.Response()
	w.Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	w.Header().Set(echo.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{"filename": "zhengce-targets.csv"}))
	w.WriteHeader(http.StatusOK)
	if _, err := w.Write([]byte(utf8BOM)); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(targetsColumns); err != nil {
		return err
	}
	show := func(t *targets.Target) (value, where string) {
		if t == nil {
			return "", ""
		}
		return t.String(), fmt.Sprintf("%s ¶%d", t.Path, t.Paragraph)
	}
	for _, r := range rows {
		tv, ts := show(r.Target)
		av, as := show(r.Achieved)
		rec := []string{r.Province, r.City, r.District, r.Level, strconv.Itoa(r.Year), r.Indicator, r.Kind, tv, ts, av, as}
		for i := range rec {
			rec[i] = csvexport.Cell(rec[i])
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// targetsView is the data of targets.html.
type targetsView struct {
	Query   string
	Hidden  []hiddenField
	Version string
	targetsFilter
	Indicators []string // for the input's suggestions
	Synonyms   string   // of the chosen indicator
	Places     []placeTargets
	PlaceTotal int
	Total      int
	APIURL     string
	CSVURL     string
}

// placeTargets is the table of one place: a row per indicator and kind, a
// column per year.
type placeTargets struct {
	Label string
	Years []int
	Rows  []indicatorRow
}

type indicatorRow struct {
	Indicator string
	Kind      string // 增速 or 总量
	Cells     []targetCell
}

// targetCell is one indicator of one year: the target, and what the next
// year's review says was achieved.
type targetCell struct {
	Target, Achieved       string
	TargetURL, AchievedURL string
	TargetTitle            string // the clause it was read from
	AchievedTitle          string
}

var kindLabels = map[string]string{targets.Growth: "增速", targets.Level: "总量"}

// targetsPage serves /targets.
func (s *Server) targetsPage(c echo.Context) error {
	f, rows, err := s.filteredTargets(c, targetsPageParams)
	if err != nil {
		return err
	}
	limit, err := positive(c.QueryParams(), paramSize, defaultTargetPlaces, maxTargetPlaces)
	if err != nil {
		return err
	}
	v := &targetsView{Version: s.opts.Version, targetsFilter: f, Indicators: targets.Indicators(), Total: len(rows)}
	if f.Indicator != "" {
		v.Synonyms = strings.Join(targets.Synonyms(f.Indicator), " = ")
	}
	q := f.values().Encode()
	v.APIURL, v.CSVURL = "/api/targets", "/targets.csv"
	if q != "" {
		v.APIURL += "?" + q
		v.CSVURL += "?" + q
	}
	rank := map[string]int{}
	for i, name := range v.Indicators {
		rank[name] = i
	}
	// rows are ordered by place, so each place is one run.
	for i := 0; i < len(rows); {
		j := i
		for j < len(rows) && samePlaceRow(rows[i], rows[j]) {
			j++
		}
		v.PlaceTotal++
		if len(v.Places) < limit {
			v.Places = append(v.Places, placeTable(rows[i:j], rank))
		}
		i = j
	}
	return c.Render(http.StatusOK, "targets.html", v)
}

func samePlaceRow(a, b targets.Row) bool {
	return a.Level == b.Level && a.Province == b.Province && a.City == b.City && a.District == b.District
}

// placeTable pivots the rows of one place: indicators down, years across.
func placeTable(rows []targets.Row, rank map[string]int) placeTargets {
	r0 := rows[0]
	p := placeTargets{Label: strings.Join(nonEmpty(r0.Province, r0.City, r0.District), " ")}
	if p.Label == "" {
		p.Label = unnamedPlace(r0.Level)
	}
	type key struct{ indicator, kind string }
	var keys []key
	cells := map[key]map[int]targets.Row{}
	for _, r := range rows {
		if !slices.Contains(p.Years, r.Year) {
			p.Years = append(p.Years, r.Year)
		}
		k := key{r.Indicator, r.Kind}
		if cells[k] == nil {
			keys = append(keys, k)
			cells[k] = map[int]targets.Row{}
		}
		cells[k][r.Year] = r
	}
	slices.Sort(p.Years)
	order := func(name string) int {
		if i, ok := rank[name]; ok {
			return i
		}
		return len(rank)
	}
	slices.SortStableFunc(keys, func(a, b key) int {
		if oa, ob := order(a.indicator), order(b.indicator); oa != ob {
			return oa - ob
		}
		if a.indicator != b.indicator {
			return strings.Compare(a.indicator, b.indicator)
		}
		return strings.Compare(b.kind, a.kind) // growth before level
	})
	link := func(t *targets.Target) (value, href, title string) {
		if t == nil {
			return "", "", ""
		}
		return t.String(), docURL(t.Report, "", t.Paragraph), t.Clause
	}
	for _, k := range keys {
		ir := indicatorRow{Indicator: k.indicator, Kind: kindLabels[k.kind]}
		for _, y := range p.Years {
			r, ok := cells[k][y]
			var cell targetCell
			if ok {
				cell.Target, cell.TargetURL, cell.TargetTitle = link(r.Target)
				cell.Achieved, cell.AchievedURL, cell.AchievedTitle = link(r.Achieved)
			}
			ir.Cells = append(ir.Cells, cell)
		}
		p.Rows = append(p.Rows, ir)
	}
	return p
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
