package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/zhengce/zhengce/batch"
	"github.com/zhengce/zhengce/index"
)

// postBody serves one POST request with body of type ctype.
func postBody(t testing.TB, h http.Handler, target, ctype string, body []byte) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, target, bytes.NewReader(body))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// postBatchForm posts form fields url-encoded.
func postBatchForm(t testing.TB, h http.Handler, target string, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	return postBody(t, h, target, "application/x-www-form-urlencoded", []byte(form.Encode()))
}

// multipartBody is a multipart form with fields and, if file is not nil,
// an uploaded file.
func multipartBody(t testing.TB, fields url.Values, file []byte) (string, []byte) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, vs := range fields {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	if file != nil {
		fw, err := w.CreateFormFile(paramFile, "phrases.csv")
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(file)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return w.FormDataContentType(), b.Bytes()
}

// apiTotal is the total /api/search gives for query with filters.
func apiTotal(t *testing.T, h http.Handler, query string, filters url.Values) int {
	t.Helper()
	v := url.Values{}
	for k, vs := range filters {
		v[k] = vs
	}
	v.Set(paramQuery, query)
	v.Set(paramSize, "1")
	rec := get(t, h, "/api/search?"+v.Encode())
	if rec.Code != http.StatusOK {
		t.Fatalf("/api/search?%s: %d %s", v.Encode(), rec.Code, rec.Body)
	}
	var res index.Result
	if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	return res.Total
}

func decodeBatch(t *testing.T, rec *httptest.ResponseRecorder) *batch.Result {
	t.Helper()
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var res batch.Result
	if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
		t.Fatalf("%v: %s", err, rec.Body)
	}
	return &res
}

// TestBatchAPIEqualsSearch: every row of /api/batch has the total
// /api/search gives for the same query and filters, and its year and
// province cells add up to it.
func TestBatchAPIEqualsSearch(t *testing.T) {
	s, _ := testServer(t)
	h := s.Handler()
	queries := []string{"放管服", "营商环境", "数字政府", "乡村振兴 -脱贫", "放管服 OR 科技创新", "没有这个词"}
	tests := []struct {
		name    string
		filters url.Values
	}{
		{"no filter", nil},
		{"a province", url.Values{paramProvince: {"广东省"}}},
		{"years and two districts", url.Values{paramYear: {"2020.."}, paramDistrict: {"南山区", "福田区"}}},
		{"a section", url.Values{paramSection: {"工作回顾"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := url.Values{paramQueries: {strings.Join(queries, "\n")}}
			for k, vs := range tt.filters {
				form[k] = vs
			}
			res := decodeBatch(t, postBatchForm(t, h, "/api/batch", form))
			if len(res.Rows) != len(queries) {
				t.Fatalf("%d rows for %d queries", len(res.Rows), len(queries))
			}
			for i, r := range res.Rows {
				if r.Query != queries[i] || r.Error != "" {
					t.Errorf("row %d: %q (error %q), want %q", i, r.Query, r.Error, queries[i])
				}
				if want := apiTotal(t, h, r.Query, tt.filters); r.Total != want {
					t.Errorf("%s: batch total %d, /api/search %d", r.Query, r.Total, want)
				}
				sumY, sumP := 0, 0
				for _, n := range r.Years {
					sumY += n
				}
				for _, n := range r.Provinces {
					sumP += n
				}
				// Every fixture hit is dated; the State Council's has no province.
				if sumY != r.Total || sumP > r.Total {
					t.Errorf("%s: %d by year, %d by province, total %d", r.Query, sumY, sumP, r.Total)
				}
			}
		})
	}
}

// TestBatchInputs: the textarea, an uploaded CSV (with a byte-order mark
// and a header) and a text/plain body give the same rows.
func TestBatchInputs(t *testing.T) {
	s, _ := testServer(t)
	h := s.Handler()
	want := decodeBatch(t, postBatchForm(t, h, "/api/batch", url.Values{paramQueries: {"放管服\n营商环境"}, paramProvince: {"广东省"}}))
	file := []byte("\ufeffquery,note\r\n放管服,改革\r\n# a comment\r\n\r\n营商环境,\"环境, 营商\"\r\n")
	ctype, body := multipartBody(t, url.Values{paramProvince: {"广东省"}}, file)
	// A browser sends an empty file input as a field with an empty file name.
	ctype2, body2 := multipartBody(t, url.Values{paramProvince: {"广东省"}, paramQueries: {"放管服\r\n营商环境"}, paramFile: {""}}, nil)
	for name, rec := range map[string]*httptest.ResponseRecorder{
		"an uploaded CSV":    postBody(t, h, "/api/batch", ctype, body),
		"a multipart form":   postBody(t, h, "/api/batch", ctype2, body2),
		"a text/plain body":  postBody(t, h, "/api/batch?province=%E5%B9%BF%E4%B8%9C%E7%9C%81", "text/plain; charset=utf-8", []byte("放管服\n营商环境\n")),
		"a text/csv body":    postBody(t, h, "/api/batch?province=%E5%B9%BF%E4%B8%9C%E7%9C%81", "text/csv", file),
		"the file, not text": postBody(t, h, "/api/batch", multipartCType(t, &body), body),
	} {
		t.Run(name, func(t *testing.T) {
			got := decodeBatch(t, rec)
			if gj, wj := mustJSON(t, got), mustJSON(t, want); gj != wj {
				t.Errorf("got %s\nwant %s", gj, wj)
			}
		})
	}
}

// multipartCType is a multipart form with both the textarea (other
// queries) and the file: the file wins. It replaces *body.
func multipartCType(t *testing.T, body *[]byte) string {
	ctype, b := multipartBody(t, url.Values{paramProvince: {"广东省"}, paramQueries: {"数字政府"}}, []byte("放管服\n营商环境"))
	*body = b
	return ctype
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestBatchBadRequests: bad input is a 4xx with a message, never a 500.
func TestBatchBadRequests(t *testing.T) {
	s, _ := testServer(t)
	h := s.Handler()
	many := strings.Repeat("放管服\n", batch.MaxQueries) + "营商环境\n"
	form := "application/x-www-form-urlencoded"
	mpType, mpBody := multipartBody(t, nil, []byte(many))
	tests := []struct {
		name, target, ctype string
		body                []byte
		status              int
		want                string
	}{
		{"1001 queries", "/api/batch", form, []byte(url.Values{paramQueries: {many}}.Encode()), 400, "最多 1000 个查询"},
		{"1001 queries uploaded", "/api/batch", mpType, mpBody, 400, "1000"},
		{"1001 queries, page", "/batch", form, []byte(url.Values{paramQueries: {many}}.Encode()), 400, "最多 1000 个查询"},
		{"1001 queries, CSV", "/batch.csv", "text/plain", []byte(many), 400, "1000"},
		{"no query", "/api/batch", form, []byte(url.Values{paramQueries: {"  \n# only a comment\n"}}.Encode()), 400, "no query"},
		{"no body", "/api/batch", form, nil, 400, "queries"},
		{"not UTF-8", "/api/batch", "text/plain", []byte("放管服\n\xff\xfe\n"), 400, "UTF-8"},
		{"a line too long", "/api/batch", "text/plain", []byte(strings.Repeat("放", batch.MaxQueryBytes)), 400, "longer than"},
		{"an unknown field", "/api/batch", form, []byte("queries=%E6%94%BE&distrct=x"), 400, "distrct"},
		{"a bad year", "/api/batch", form, []byte("queries=%E6%94%BE&year=abc"), 400, "year"},
		{"JSON", "/api/batch", "application/json", []byte(`{"queries":["放管服"]}`), 415, "text/plain"},
		{"a broken multipart form", "/api/batch", "multipart/form-data; boundary=xyz", []byte("--xyz\r\nbroken"), 400, "表单"},
		{"too large", "/api/batch", "text/plain", bytes.Repeat([]byte("放管服\n"), maxBatchBody/10+1), 413, "字节"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := postBody(t, h, tt.target, tt.ctype, tt.body)
			if rec.Code != tt.status || !strings.Contains(rec.Body.String(), tt.want) {
				t.Errorf("status %d, want %d with %q: %.300s", rec.Code, tt.status, tt.want, rec.Body)
			}
		})
	}
	if rec := get(t, h, "/api/batch"); rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET /api/batch: %d, want 405", rec.Code)
	}
	if rec := get(t, h, "/batch?x=1"); rec.Code != http.StatusBadRequest {
		t.Errorf("GET /batch?x=1: %d, want 400", rec.Code)
	}
	// A malformed query is a row with its error, the others still run.
	res := decodeBatch(t, postBody(t, h, "/api/batch", "text/plain", []byte("放管服\n放管服 year:abc\n")))
	if len(res.Rows) != 2 || res.Rows[0].Error != "" || res.Rows[1].Error == "" {
		t.Errorf("rows %+v, want the second with an error", res.Rows)
	}
}

// TestBatchCSV: the download opens in Excel (a byte-order mark) with one
// row per query, the matrices beside it, and formula cells neutralised.
func TestBatchCSV(t *testing.T) {
	s, _ := testServer(t)
	h := s.Handler()
	rec := postBody(t, h, "/batch.csv", "application/x-www-form-urlencoded",
		[]byte(url.Values{paramQueries: {"放管服\n=1+1\n@营商环境"}}.Encode()))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := rec.Header().Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") {
		t.Errorf("Content-Disposition %q", cd)
	}
	body := rec.Body.String()
	if !strings.HasPrefix(body, utf8BOM) {
		t.Fatalf("no byte-order mark: %.40q", body)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, utf8BOM))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	api := decodeBatch(t, postBody(t, h, "/api/batch", "text/plain", []byte("放管服\n=1+1\n@营商环境")))
	if len(recs) != 4 || len(recs[0]) != 6+len(api.Years)+len(api.Provinces) {
		t.Fatalf("%d records of %d columns, want 4 of %d", len(recs), len(recs[0]), 6+len(api.Years)+len(api.Provinces))
	}
	if recs[0][0] != "query" || recs[0][6] != strconv.Itoa(api.Years[0]) || recs[0][len(recs[0])-1] != api.Provinces[len(api.Provinces)-1] {
		t.Errorf("header %q", recs[0])
	}
	if recs[1][0] != "放管服" || recs[1][2] != strconv.Itoa(apiTotal(t, h, "放管服", nil)) {
		t.Errorf("row %q", recs[1])
	}
	if recs[2][0] != "'=1+1" || recs[3][0] != "'@营商环境" {
		t.Errorf("formula cells not neutralised: %q, %q", recs[2][0], recs[3][0])
	}
}

// TestBatchPage: the form, and the result page with a row per query and
// both matrices, each count linked to a search that finds that many.
func TestBatchPage(t *testing.T) {
	s, _ := testServer(t)
	h := s.Handler()
	rec := get(t, h, "/batch")
	for _, w := range []string{`id="batch-form"`, `enctype="multipart/form-data"`, `name="queries"`, `type="file"`, `name="file"`,
		`formaction="/batch.csv"`, `formaction="/api/batch"`, "最多 1000 个"} {
		if !strings.Contains(rec.Body.String(), w) {
			t.Errorf("the form lacks %s", w)
		}
	}
	rec = postBatchForm(t, h, "/batch", url.Values{paramQueries: {"放管服\n营商环境\n放管服 year:abc"}, paramYear: {"2019..2020"}})
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	body := rec.Body.String()
	for _, w := range []string{`id="batch-table"`, `id="batch-years"`, `id="batch-provinces"`, `<th scope="col" title="广东省">广东</th>`,
		`<tr class="batch-row" data-query="放管服" data-total="` + strconv.Itoa(apiTotal(t, h, "放管服", url.Values{paramYear: {"2019..2020"}})) + `">`,
		`class="batch-row batch-error" data-query="放管服 year:abc"`, "1 个有误",
		`<a class="spread" href="/spread?q=%E6%94%BE%E7%AE%A1%E6%9C%8D&amp;year=2019..2020">`,
		`<textarea id="batch-queries" name="queries" rows="10" placeholder="放管服&#10;营商环境&#10;一网通办">放管服` + "\n" + `营商环境`,
		`<input name="year" value="2019..2020"`,
	} {
		if !strings.Contains(body, w) {
			t.Errorf("the result page lacks %s", w)
		}
	}
	if n := checkHitsLinks(t, h, body); n < 6 {
		t.Errorf("%d counts linked, want the totals and the matrix cells", n)
	}
}

// countingSearcher records how many Counts run at once.
type countingSearcher struct {
	index.Searcher
	mu            sync.Mutex
	running, most int
	calls         int
}

func (c *countingSearcher) Count(ctx context.Context, req index.Request) (*index.Counts, error) {
	c.mu.Lock()
	c.running++
	c.calls++
	c.most = max(c.most, c.running)
	c.mu.Unlock()
	runtime.Gosched() // give a second Count the chance to start, if it may
	defer func() { c.mu.Lock(); c.running--; c.mu.Unlock() }()
	return c.Searcher.Count(ctx, req)
}

// blockedCounter never answers a Count before its context is done.
type blockedCounter struct {
	index.Searcher
	started chan struct{}
}

func (b *blockedCounter) Count(ctx context.Context, req index.Request) (*index.Counts, error) {
	b.started <- struct{}{}
	<-ctx.Done()
	return nil, ctx.Err()
}

// TestBatchLimits: a batch runs its queries through the server's search
// limiter, one slot each, and stops at the request's deadline with a 503.
func TestBatchLimits(t *testing.T) {
	cs := &countingSearcher{Searcher: testIndex(t)}
	s, err := New(cs, Options{MaxConcurrentSearches: 1})
	if err != nil {
		t.Fatal(err)
	}
	queries := strings.Repeat("放管服\n营商环境\n数字政府\n", 20)
	decodeBatch(t, postBody(t, s.Handler(), "/api/batch", "text/plain", []byte(queries)))
	if cs.calls != 60 || cs.most != 1 {
		t.Errorf("%d Counts, at most %d at once; want 60, one at a time", cs.calls, cs.most)
	}

	bc := &blockedCounter{Searcher: testIndex(t), started: make(chan struct{}, 100)}
	s, err = New(bc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	dl := newDeadlineCtx()
	req := httptest.NewRequest(http.MethodPost, "/api/batch", strings.NewReader("放管服\n营商环境\n")).WithContext(dl)
	req.Header.Set("Content-Type", "text/plain")
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() { s.Handler().ServeHTTP(rec, req); close(done) }()
	<-bc.started
	dl.expire()
	<-done
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("a batch past its deadline: %d %s, want 503", rec.Code, rec.Body)
	}
}
