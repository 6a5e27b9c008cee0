package web

import (
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/zhengce/zhengce/index"
)

// TestBrowserAlerts saves a search from the search page, adds reports,
// sees the new match on the saved search's page, subscribes to its feed as
// a feed reader would (fetches it and parses it as Atom), marks it seen,
// and opens the 新提法 page and the paragraphs behind one of its numbers.
func TestBrowserAlerts(t *testing.T) {
	ctx, problems := startBrowser(t)
	s, ix, dir := savedServer(t)
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	shots := screenshotDir(t)
	run := func(step string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}

	// 1. Save 放管服 in 南山区 from the search page.
	var location, heading string
	run("saving a search",
		chromedp.Navigate(srv.URL+"/?q=放管服&district=南山区"),
		chromedp.WaitVisible("#save-name", chromedp.ByQuery),
		chromedp.SendKeys("#save-name", "放管服-南山", chromedp.ByQuery),
		chromedp.Submit("#save-name", chromedp.ByQuery),
		chromedp.WaitVisible("#new-heading", chromedp.ByQuery),
		chromedp.Location(&location),
		chromedp.Text("#new-heading", &heading, chromedp.ByQuery),
	)
	if want := srv.URL + "/saved/" + url.PathEscape("放管服-南山"); location != want || !strings.HasSuffix(heading, "无") {
		t.Fatalf("after saving: at %s with %q; want %s with nothing new", location, heading, want)
	}

	// 2. indexer -add brings a 南山区 report of 2021 and a 海拉尔区 one.
	w, err := index.Update(dir, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []index.Report{fixtureReports[4], {
		Path: "shenzhen/2021年南山区政府工作报告.txt", Title: "2021年南山区政府工作报告", Level: "district",
		Province: "广东省", City: "深圳市", District: "南山区", Year: 2021,
		Paragraphs: paras("工作安排", "", "纵深推进放管服改革。", "科技创新。"),
	}} {
		if err := w.Add(&r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Reload(); err != nil {
		t.Fatal(err)
	}
	var reports []string
	run("seeing the new match",
		chromedp.Reload(),
		chromedp.WaitVisible(".new-report", chromedp.ByQuery),
		chromedp.Evaluate(`Array.from(document.querySelectorAll('.new-report h3')).map(h => h.textContent)`, &reports),
	)
	if len(reports) != 1 || reports[0] != "2021年南山区政府工作报告" {
		t.Errorf("new reports on the saved search's page: %q, want the 2021 南山区 report", reports)
	}
	var png []byte
	run("screenshot of the saved search", chromedp.CaptureScreenshot(&png))
	save(t, filepath.Join(shots, "saved.png"), png)

	// 3. Subscribe: fetch the feed the page links to and parse it.
	var feed struct {
		Error, Root, NS string
		Entries         int
		Link, Title     string
		Self            string
	}
	run("subscribing to the feed",
		chromedp.Evaluate(`(async () => {
			const href = document.querySelector('link[rel=alternate][type="application/atom+xml"]').href;
			const r = await fetch(href);
			const doc = new DOMParser().parseFromString(await r.text(), 'application/xml');
			const err = doc.querySelector('parsererror');
			const e = doc.querySelector('entry');
			return {error: err ? err.textContent : '', root: doc.documentElement.localName, ns: doc.documentElement.namespaceURI,
				entries: doc.querySelectorAll('entry').length, link: e ? e.querySelector('link').getAttribute('href') : '',
				title: e ? e.querySelector('title').textContent : '', self: doc.querySelector('feed > link[rel=self]').getAttribute('href')};
		})()`, &feed, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
	)
	if feed.Error != "" || feed.Root != "feed" || feed.NS != "http://www.w3.org/2005/Atom" || feed.Entries != 1 ||
		!strings.HasPrefix(feed.Link, srv.URL+"/doc/") || !strings.HasSuffix(feed.Link, "#p1") || feed.Self != srv.URL+"/saved/"+url.PathEscape("放管服-南山")+".atom" {
		t.Errorf("feed = %+v, want one Atom entry linking to paragraph 1 of the new report", feed)
	}
	var cited string
	run("following the feed's entry",
		chromedp.Navigate(feed.Link),
		chromedp.WaitVisible("#p1", chromedp.ByQuery),
		chromedp.Text("#p1", &cited, chromedp.ByQuery),
	)
	if !strings.Contains(cited, "纵深推进放管服改革") {
		t.Errorf("the entry's link opens %q", cited)
	}

	// 4. Mark seen: nothing new remains.
	run("marking seen",
		chromedp.Navigate(location),
		chromedp.WaitVisible("#mark-seen", chromedp.ByQuery),
		chromedp.Click("#mark-seen", chromedp.ByQuery),
		chromedp.WaitNotPresent(".new-report", chromedp.ByQuery),
		chromedp.Text("#new-heading", &heading, chromedp.ByQuery),
	)
	if !strings.HasSuffix(heading, "无") {
		t.Errorf("after marking seen: %q", heading)
	}

	// 5. The 新提法 page of 2021, and the paragraphs behind a number.
	var rows int
	var phrase, hits string
	run("opening 新提法",
		chromedp.Navigate(srv.URL+"/new?year=2021"),
		chromedp.WaitVisible("#new-phrases table", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll('#new-phrases tr.phrase-row').length`, &rows),
		chromedp.Text("#new-phrases tr.phrase-row a.phrase", &phrase, chromedp.ByQuery),
		chromedp.Text("#new-phrases tr.phrase-row a.hits", &hits, chromedp.ByQuery),
		chromedp.CaptureScreenshot(&png),
	)
	save(t, filepath.Join(shots, "new.png"), png)
	if rows == 0 || phrase == "" {
		t.Fatalf("新提法 2021: %d rows", rows)
	}
	var total string
	run("following a count",
		chromedp.Click("#new-phrases tr.phrase-row a.hits", chromedp.ByQuery),
		chromedp.WaitVisible("#total", chromedp.ByQuery),
		chromedp.AttributeValue("#total", "data-total", &total, nil, chromedp.ByQuery),
	)
	if total != hits {
		t.Errorf("%s: the page says %s paragraphs of 2021, its link finds %s", phrase, hits, total)
	}
	if n, _ := strconv.Atoi(total); n == 0 {
		t.Errorf("%s: its link finds nothing", phrase)
	}
	for _, p := range problems() {
		t.Errorf("browser: %s", p)
	}
}
