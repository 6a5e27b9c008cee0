package web

import (
	"context"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/zhengce/zhengce/index"
)

var update = flag.Bool("update", false, "rewrite the committed screenshots in testdata/screenshots")

// chromiumPath is the Debian chromium that .ci/run installs.
const chromiumPath = "/usr/bin/chromium"

// TestBrowser drives the pages in headless Chromium as a reporter would: it
// types 放管服, checks the counts and highlights, clicks a district, checks
// the trend chart was drawn, opens a report at the cited paragraph and saves
// screenshots (into testdata/screenshots with -update, else a temporary
// folder named in the log).
func TestBrowser(t *testing.T) {
	ctx, problems := startBrowser(t)
	ix, fixture := browsedIndex(t)
	s, err := New(ix, Options{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()

	shots := screenshotDir(t)

	run := func(step string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}

	// 1. Type the query and submit.
	var total, title string
	var marks []string
	var hitCount int
	run("searching 放管服",
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible("#q", chromedp.ByQuery),
		chromedp.SendKeys("#q", "放管服", chromedp.ByQuery),
		chromedp.Click("#search-button", chromedp.ByQuery),
		chromedp.WaitVisible("#total", chromedp.ByQuery),
		chromedp.AttributeValue("#total", "data-total", &total, nil, chromedp.ByQuery),
		chromedp.Title(&title),
		chromedp.Evaluate(`document.querySelectorAll('.hit').length`, &hitCount),
		chromedp.Evaluate(`Array.from(document.querySelectorAll('.hit .snippet mark')).map(m => m.textContent)`, &marks),
	)
	res, err := ix.Search(context.Background(), index.Request{Query: "放管服", Limit: 1, NoFacets: true})
	if err != nil {
		t.Fatal(err)
	}
	want := res.Total
	if fixture && want != len(bruteForce("放管服", nil)) {
		t.Errorf("the index finds %d paragraphs with 放管服, brute force %d", want, len(bruteForce("放管服", nil)))
	}
	if total != strconv.Itoa(want) || hitCount != min(want, defaultPageSize) {
		t.Errorf("after typing 放管服: total %s, %d hits listed; want %d", total, hitCount, want)
	}
	if !strings.HasPrefix(title, "放管服") {
		t.Errorf("page title %q does not name the query", title)
	}
	if len(marks) < hitCount {
		t.Errorf("%d <mark> highlights for %d hits", len(marks), hitCount)
	}
	for _, m := range marks {
		if m != "放管服" {
			t.Errorf("highlight %q, want 放管服", m)
		}
	}

	var png []byte
	run("screenshot of the search page",
		chromedp.WaitVisible(`#trend-chart[data-rendered="true"] canvas`, chromedp.ByQuery),
		chromedp.CaptureScreenshot(&png))
	save(t, filepath.Join(shots, "search.png"), png)

	// 2. Click the district with most hits; the total becomes its count.
	const district = `a.facet-value[data-field="district"]`
	var name, count string
	run("reading the district facet",
		chromedp.Text(district+" .name", &name, chromedp.ByQuery),
		chromedp.Text(district+" .count", &count, chromedp.ByQuery),
	)
	var districts []string
	run("clicking district "+name,
		chromedp.Click(district, chromedp.ByQuery),
		chromedp.WaitVisible(`a.chip[data-field="district"]`, chromedp.ByQuery),
		chromedp.AttributeValue("#total", "data-total", &total, nil, chromedp.ByQuery),
		chromedp.Evaluate(`Array.from(document.querySelectorAll('.hit')).map(h => h.dataset.district)`, &districts),
	)
	if total != count {
		t.Errorf("after clicking %s (count %s): total %s", name, count, total)
	}
	for _, d := range districts {
		if d != name {
			t.Errorf("after clicking %s a hit from %q is listed", name, d)
		}
	}
	var url string
	run("reading the URL", chromedp.Location(&url))
	if !strings.Contains(url, "district=") || !strings.Contains(url, "q=") {
		t.Errorf("the URL %s does not hold the search state", url)
	}

	// 3. The trend chart is drawn: a canvas of non-zero size with coloured
	// pixels inside the chart box.
	var chart struct {
		Width, Height float64
		Coloured      int
	}
	run("checking the trend chart",
		chromedp.WaitVisible(`#trend-chart[data-rendered="true"] canvas`, chromedp.ByQuery),
		chromedp.Evaluate(`(() => {
			const c = document.querySelector('#trend-chart canvas');
			const r = c.getBoundingClientRect();
			const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
			let coloured = 0;
			for (let i = 0; i < px.length; i += 4) {
				const [red, g, b, a] = [px[i], px[i+1], px[i+2], px[i+3]];
				if (a > 0 && Math.max(red, g, b) - Math.min(red, g, b) > 60) coloured++;
			}
			return {width: r.width, height: r.height, coloured};
		})()`, &chart),
	)
	if chart.Width < 100 || chart.Height < 100 || chart.Coloured < 100 {
		t.Errorf("trend chart canvas %.0f×%.0f with %d coloured pixels: not drawn", chart.Width, chart.Height, chart.Coloured)
	}
	var table int
	run("opening the trend table",
		chromedp.Click(".trend-table summary", chromedp.ByQuery),
		chromedp.WaitVisible(".trend-table table", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll('.trend-table tbody tr').length`, &table),
	)
	if table == 0 {
		t.Errorf("the trend table has no rows")
	}
	run("screenshot of the district's hits", chromedp.CaptureScreenshot(&png))
	save(t, filepath.Join(shots, "district.png"), png)

	// 4. Open the first hit in its report: the cited paragraph is the
	// target, marked, and on screen.
	var href string
	run("reading the first hit's link", chromedp.AttributeValue(".hit a.open", "href", &href, nil, chromedp.ByQuery))
	anchor := href[strings.LastIndex(href, "#")+1:]
	var cited struct {
		ID, Background string
		Top, Bottom    float64
		Viewport       float64
		Marks          int
		Shown          string
	}
	run("opening the report",
		chromedp.Click(".hit a.open", chromedp.ByQuery),
		chromedp.WaitVisible("#report", chromedp.ByQuery),
		chromedp.WaitVisible("#"+anchor, chromedp.ByQuery),
		chromedp.Evaluate(`(() => {
			const p = document.querySelector(':target');
			if (!p) return {};
			const r = p.getBoundingClientRect();
			return {id: p.id, background: getComputedStyle(p).backgroundColor, top: r.top, bottom: r.bottom,
				viewport: window.innerHeight, marks: p.querySelectorAll('mark').length,
				shown: (document.getElementById('match-count') || {}).textContent || ''};
		})()`, &cited),
	)
	if cited.ID != anchor {
		t.Fatalf("report opened at %q, want the cited paragraph %q", cited.ID, anchor)
	}
	if cited.Top < 0 || cited.Bottom > cited.Viewport {
		t.Errorf("cited paragraph at %.0f–%.0f is not on screen (height %.0f)", cited.Top, cited.Bottom, cited.Viewport)
	}
	if cited.Background != "rgb(255, 246, 214)" {
		t.Errorf("cited paragraph background %q: not marked", cited.Background)
	}
	if cited.Marks == 0 {
		t.Errorf("cited paragraph has no highlighted match")
	}
	var allMarks int
	var current bool
	run("stepping through matches",
		chromedp.Evaluate(`document.querySelectorAll('#report mark').length`, &allMarks),
		chromedp.Click("#next-match", chromedp.ByQuery),
		chromedp.WaitVisible("mark.current", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector('#report mark.current') !== null`, &current),
	)
	if strconv.Itoa(allMarks) != cited.Shown || !current {
		t.Errorf("report shows %q matches, has %d marks; next-match marked one: %v", cited.Shown, allMarks, current)
	}
	run("screenshot of the report", chromedp.CaptureScreenshot(&png))
	save(t, filepath.Join(shots, "doc.png"), png)

	// 5. A bad parameter gives the error page, not a server error.
	var msg string
	run("a bad parameter",
		chromedp.Navigate(srv.URL+"/?q=放管服&year=abc"),
		chromedp.WaitVisible("#error-message", chromedp.ByQuery),
		chromedp.Text("#error-message", &msg, chromedp.ByQuery),
	)
	if !strings.Contains(msg, "year") {
		t.Errorf("error page says %q, want it to name the year parameter", msg)
	}

	for _, p := range problems() {
		if strings.Contains(p, "400") && strings.Contains(p, "year=abc") {
			continue // the status of step 5, which the browser logs
		}
		t.Errorf("browser: %s", p)
	}
}

// startBrowser starts headless Chromium for t (skipping the test without
// it, failing in CI) in a fresh profile; the returned function lists every
// script error and Content-Security-Policy violation the browser reported,
// each of which fails a browser test.
func startBrowser(t *testing.T) (context.Context, func() []string) {
	t.Helper()
	if _, err := exec.LookPath(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("chromium is required in CI: %v", err)
		}
		t.Skipf("no %s: %v", chromiumPath, err)
	}
	profile, err := os.MkdirTemp("", "zhengce-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(profile) })
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath), chromedp.NoSandbox, chromedp.Headless, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("lang", "zh-CN"),
		chromedp.UserDataDir(profile), chromedp.WindowSize(1280, 1000),
	)
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelBrowser := chromedp.NewContext(ctx, chromedp.WithErrorf(func(format string, args ...any) {
		if msg := fmt.Sprintf(format, args...); !strings.Contains(msg, "could not unmarshal event") {
			t.Logf("chromedp: %s", msg)
		}
	}))
	t.Cleanup(func() { chromedp.Cancel(ctx); cancelBrowser() })
	var mu sync.Mutex
	var problems []string
	chromedp.ListenTarget(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+ev.ExceptionDetails.Error())
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.LevelError && !strings.Contains(ev.Entry.URL, "favicon") {
				problems = append(problems, fmt.Sprintf("console %s: %s (%s)", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL))
			}
		}
	})
	return ctx, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), problems...)
	}
}

// screenshotDir is where a browser test saves its screenshots:
// testdata/screenshots with -update, else a temporary folder.
func screenshotDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join("testdata", "screenshots")
	if !*update {
		dir = filepath.Join(os.TempDir(), "zhengce-screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func save(t *testing.T, path string, png []byte) {
	t.Helper()
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d KB)", path, len(png)/1024)
}
