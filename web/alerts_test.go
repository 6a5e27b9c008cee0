package web

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/saved"
)

// TestNewPage checks /new and /api/new on the fixture against a brute-force
// count of the fixture's text: every new phrase of 2021 is used by no
// report before 2021, and its places and paragraphs of 2021 are the ones
// the text holds.
func TestNewPage(t *testing.T) {
	s, _ := testServer(t)
	h := s.Handler()
	rec := get(t, h, "/api/new?year=2021")
	if rec.Code != http.StatusOK {
		t.Fatalf("/api/new: %d %s", rec.Code, rec.Body)
	}
	var res struct {
		Year, Previous int
		New, Gone      []struct {
			Phrase       string
			Hits, Places int
			FirstYear    int `json:"first_year"`
			Report       string
			Paragraph    int
		}
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	if res.Year != 2021 || res.Previous != 2020 || len(res.New) == 0 {
		t.Fatalf("/api/new?year=2021 = %+v, want new phrases compared with 2020", res)
	}
	found := false
	for _, p := range res.New {
		hits := bruteForce(p.Phrase, nil)
		first, in2021, places := 0, 0, map[string]bool{}
		for _, fh := range hits {
			if first == 0 || fh.Report.Year < first {
				first = fh.Report.Year
			}
			if fh.Report.Year == 2021 {
				in2021++
				places[fh.Report.Province+fh.Report.City+fh.Report.District] = true
			}
		}
		if first != 2021 || p.FirstYear != 2021 || p.Hits != in2021 || p.Places != len(places) {
			t.Errorf("new %s: first %d, hits %d, places %d; the text says first %d, %d hits in %d places", p.Phrase, p.FirstYear, p.Hits, p.Places, first, in2021, len(places))
		}
		found = found || p.Phrase == "乡村振兴"
	}
	if !found {
		t.Errorf("乡村振兴 (first in 海拉尔区 2021) is not among the new phrases: %+v", res.New)
	}
	page := get(t, h, "/new?year=2021")
	body := page.Body.String()
	if page.Code != http.StatusOK || !strings.Contains(body, "乡村振兴") ||
		!strings.Contains(body, `href="/?q=%22%E4%B9%A1%E6%9D%91%E6%8C%AF%E5%85%B4%22&amp;year=2021"`) {
		t.Errorf("/new?year=2021: %d, no 乡村振兴 linking to its 2021 paragraphs:\n%s", page.Code, body)
	}
	// Without a year: the latest the index holds.
	if rec := get(t, h, "/api/new"); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"year":2021`) {
		t.Errorf("/api/new without a year: %d %s", rec.Code, rec.Body)
	}
	for _, target := range []string{"/new?year=abc", "/new?year=1800", "/new?year=2030", "/new?year=2021&level=county",
		"/new?year=2021&limit=0", "/new?yr=2021", "/new?year=2021&year=2020", "/new?year=2021&district=%FF", "/api/new?year=2030",
		"/new?year=2021&district=不存在区"} {
		rec := get(t, h, target)
		if rec.Code != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", target, rec.Code)
		}
	}
}

// savedServer is a server over an index of its own (saved searches change
// it) with a store.
func savedServer(t *testing.T) (*Server, *index.Index, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "index")
	if err := index.BuildReports(dir, fixtureReports[:4]); err != nil {
		t.Fatal(err)
	}
	ix, err := index.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	s, err := New(ix, Options{Version: "test", Saved: saved.Open(dir)})
	if err != nil {
		t.Fatal(err)
	}
	return s, ix, dir
}

// post serves one form POST with the given headers.
func post(t *testing.T, h http.Handler, target string, form url.Values, headers map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestSavedPages(t *testing.T) {
	s, ix, dir := savedServer(t)
	h := s.Handler()
	same := map[string]string{"Origin": "http://example.com", "Sec-Fetch-Site": "same-origin"}
	form := url.Values{"name": {"放管服-南山"}, "q": {"放管服"}, "district": {"南山区"}, "sort": {"year"}}
	if rec := post(t, h, "/saved", form, same); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/saved/"+url.PathEscape("放管服-南山") {
		t.Fatalf("save: %d %q %s", rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	if rec := post(t, h, "/saved", url.Values{"name": {"all"}, "q": {"放管服"}}, nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("save without browser headers: %d %s", rec.Code, rec.Body)
	}
	for _, tt := range []struct {
		name    string
		form    url.Values
		headers map[string]string
		code    int
	}{
		{"another site", url.Values{"name": {"x"}, "q": {"放管服"}}, map[string]string{"Origin": "http://evil.example"}, http.StatusForbidden},
		{"another site by fetch metadata", url.Values{"name": {"x"}, "q": {"放管服"}}, map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{"another site by referer", url.Values{"name": {"x"}, "q": {"放管服"}}, map[string]string{"Referer": "http://evil.example/page"}, http.StatusForbidden},
		{"opaque origin", url.Values{"name": {"x"}, "q": {"放管服"}}, map[string]string{"Origin": "null"}, http.StatusForbidden},
		{"bad name", url.Values{"name": {"a/b"}, "q": {"放管服"}}, same, http.StatusBadRequest},
		{"no name", url.Values{"q": {"放管服"}}, same, http.StatusBadRequest},
		{"two names", url.Values{"name": {"a", "b"}, "q": {"放管服"}}, same, http.StatusBadRequest},
		{"taken name", url.Values{"name": {"all"}, "q": {"数字政府"}}, same, http.StatusConflict},
		{"bad query", url.Values{"name": {"x"}, "q": {`"未闭合`}}, same, http.StatusBadRequest},
		{"nothing to save", url.Values{"name": {"x"}}, same, http.StatusBadRequest},
		{"unknown field", url.Values{"name": {"x"}, "q": {"放管服"}, "distrct": {"南山区"}}, same, http.StatusBadRequest},
	} {
		if rec := post(t, h, "/saved", tt.form, tt.headers); rec.Code != tt.code {
			t.Errorf("%s: %d, want %d: %s", tt.name, rec.Code, tt.code, rec.Body)
		}
	}
	list := get(t, h, "/saved")
	if list.Code != http.StatusOK || !strings.Contains(list.Body.String(), "放管服-南山") || strings.Contains(list.Body.String(), `badge new`) {
		t.Errorf("/saved: %d, want both searches, nothing new:\n%s", list.Code, list.Body)
	}

	// -add: a 2021 南山区 report and a 2021 海拉尔区 one.
	w, err := index.Update(dir, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	more := []index.Report{fixtureReports[4], {
		Path: "shenzhen/2021年南山区政府工作报告.txt", Title: "2021年南山区政府工作报告", Level: "district",
		Province: "广东省", City: "深圳市", District: "南山区", Year: 2021,
		Paragraphs: paras("工作安排", "", "纵深推进放管服改革。", "科技创新。"),
	}}
	for i := range more {
		if err := w.Add(&more[i]); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Reload(); err != nil {
		t.Fatal(err)
	}
	page := get(t, h, "/saved/"+url.PathEscape("放管服-南山"))
	body := page.Body.String()
	if page.Code != http.StatusOK || !strings.Contains(body, "2021年南山区政府工作报告") || strings.Contains(body, "海拉尔") ||
		!strings.Contains(body, "纵深推进<mark>放管服</mark>改革") {
		t.Errorf("/saved/放管服-南山 after -add: %d, want the 南山区 2021 paragraph only:\n%s", page.Code, body)
	}
	all := get(t, h, "/saved/all").Body.String()
	if !strings.Contains(all, "2021年南山区政府工作报告") || !strings.Contains(all, "2021年海拉尔区政府工作报告") {
		t.Errorf("/saved/all after -add: want both new reports:\n%s", all)
	}

	feed := get(t, h, "/saved/"+url.PathEscape("放管服-南山")+".atom")
	if feed.Code != http.StatusOK || !strings.HasPrefix(feed.Header().Get("Content-Type"), "application/atom+xml") {
		t.Fatalf("feed: %d %q", feed.Code, feed.Header().Get("Content-Type"))
	}
	var f struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		Links   []struct {
			Rel  string `xml:"rel,attr"`
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Entries []struct {
			ID   string `xml:"id"`
			Link struct {
				Href string `xml:"href,attr"`
			} `xml:"link"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(feed.Body.Bytes(), &f); err != nil {
		t.Fatalf("feed is not Atom: %v\n%s", err, feed.Body)
	}
	id := index.ReportID("shenzhen/2021年南山区政府工作报告.txt", 0)
	if len(f.Entries) != 1 || f.Entries[0].Link.Href != "http://example.com/doc/"+id+"?q=%E6%94%BE%E7%AE%A1%E6%9C%8D#p1" ||
		len(f.Links) != 2 || f.Links[0].Href != "http://example.com/saved/"+url.PathEscape("放管服-南山")+".atom" {
		t.Errorf("feed = %+v, want one entry linking to paragraph 1 of the new report\n%s", f, feed.Body)
	}

	// Marking seen empties what is new, for this search only.
	name := "/saved/" + url.PathEscape("放管服-南山")
	if rec := post(t, h, name+"/seen", nil, map[string]string{"Origin": "http://evil.example"}); rec.Code != http.StatusForbidden {
		t.Errorf("seen from another site: %d", rec.Code)
	}
	if rec := post(t, h, name+"/seen", nil, same); rec.Code != http.StatusSeeOther {
		t.Fatalf("seen: %d %s", rec.Code, rec.Body)
	}
	if body := get(t, h, name).Body.String(); strings.Contains(body, "new-report") {
		t.Errorf("after seen, still new:\n%s", body)
	}
	if body := get(t, h, "/saved/all").Body.String(); !strings.Contains(body, "2021年海拉尔区政府工作报告") {
		t.Errorf("seen on one search consumed another's news:\n%s", body)
	}
	var api []saved.Matches
	if rec := get(t, h, "/api/saved"); rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &api) != nil || len(api) != 2 || len(api[1].New) != 2 {
		t.Errorf("/api/saved: %d %s", rec.Code, rec.Body)
	}
	if rec := post(t, h, name+"/delete", nil, same); rec.Code != http.StatusSeeOther {
		t.Fatalf("delete: %d %s", rec.Code, rec.Body)
	}
	for target, code := range map[string]int{
		name: http.StatusNotFound, name + ".atom": http.StatusNotFound, "/saved/a.b": http.StatusBadRequest,
		"/saved/all?x=1": http.StatusBadRequest, "/saved/all.atom?x=1": http.StatusBadRequest,
	} {
		if rec := get(t, h, target); rec.Code != code {
			t.Errorf("%s: %d, want %d", target, rec.Code, code)
		}
	}
	if rec := post(t, h, name+"/seen", nil, same); rec.Code != http.StatusNotFound {
		t.Errorf("seen of a deleted search: %d", rec.Code)
	}

	// A server without a store serves no saved searches, and no form.
	plain, _ := testServer(t)
	if rec := get(t, plain.Handler(), "/saved"); rec.Code != http.StatusNotFound {
		t.Errorf("/saved without a store: %d", rec.Code)
	}
	if body := get(t, plain.Handler(), "/?q=放管服").Body.String(); strings.Contains(body, "save-search") {
		t.Error("the search page offers to save without a store")
	}
	if body := get(t, h, "/?q=放管服&district=南山区").Body.String(); !strings.Contains(body, `id="save-search"`) || !strings.Contains(body, `name="district" value="南山区"`) {
		t.Errorf("the search page has no save form with the filters:\n%s", body)
	}
}
