package web

import (
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestReuseBrowser reads text reuse in headless Chromium as a reporter
// would: the corpus page lists the passage 南山区 took from 福田区, a filter
// by place narrows it, and the report view marks the copied paragraph with
// a link that opens the source at its paragraph.
func TestReuseBrowser(t *testing.T) {
	ctx, problems := startBrowser(t)
	s, _, _ := reuseServer(t)
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	shots := screenshotDir(t)

	run := func(step string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	futian, nanshan := reuseID("福田区", 2019), reuseID("南山区", 2020)

	// 1. The corpus page: one reused passage, first written by 福田区.
	var passages, pairs int
	var original string
	run("opening /reuse",
		chromedp.Navigate(srv.URL+"/reuse"),
		chromedp.WaitVisible("#reuse-passages", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll('#reuse-passages .passage').length`, &passages),
		chromedp.Evaluate(`document.querySelectorAll('#reuse-pairs tr.pair').length`, &pairs),
		chromedp.Text(".passage-original", &original, chromedp.ByQuery),
	)
	if passages != 1 || pairs != 2 || !strings.Contains(original, "福田区") {
		t.Errorf("/reuse lists %d passages (first by %q) and %d pairs; want 1 by 福田区 and 2 pairs", passages, original, pairs)
	}
	var png []byte
	run("screenshot of /reuse", chromedp.CaptureScreenshot(&png))
	save(t, filepath.Join(shots, "reuse.png"), png)

	// 2. Filtering by a place that copied nothing empties the lists.
	run("filtering by 罗湖区",
		chromedp.SendKeys("#reuse-place", "罗湖区", chromedp.ByQuery),
		chromedp.Submit("#reuse-filter", chromedp.ByQuery),
		chromedp.WaitVisible(`#reuse-place[value="罗湖区"]`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll('#reuse-passages .passage').length`, &passages),
	)
	if passages != 0 {
		t.Errorf("/reuse?place=罗湖区 lists %d passages, want 0", passages)
	}

	// 3. The report that copied: the paragraph is marked, and its source
	// link opens 福田区's report at the paragraph it came from.
	var mark struct {
		Kind, Text, Shadow string
		Boilerplate        int
	}
	run("opening the report of 南山区 2020",
		chromedp.Navigate(srv.URL+"/doc/"+nanshan),
		chromedp.WaitVisible("#p3", chromedp.ByQuery),
		chromedp.Evaluate(`(() => {
			const m = document.querySelector('#p3 + .reuse-mark');
			return {kind: m ? m.dataset.kind : '', text: m ? m.textContent : '',
				shadow: getComputedStyle(document.getElementById('p3')).boxShadow,
				boilerplate: document.querySelectorAll('.reuse-mark[data-kind="boilerplate"]').length};
		})()`, &mark),
	)
	if mark.Kind != "copied" || !strings.Contains(mark.Text, "最早见于") || !strings.Contains(mark.Text, "福田区") {
		t.Errorf("paragraph 3 of 南山区 2020 is marked %q: %q; want copied, earliest source 福田区", mark.Kind, mark.Text)
	}
	if mark.Shadow == "" || mark.Shadow == "none" {
		t.Errorf("the copied paragraph is not set off (box-shadow %q)", mark.Shadow)
	}
	if mark.Boilerplate != 1 {
		t.Errorf("%d paragraphs marked boilerplate, want 1 (the salutation)", mark.Boilerplate)
	}
	run("screenshot of the marked report", chromedp.CaptureScreenshot(&png))
	save(t, filepath.Join(shots, "doc-reuse.png"), png)
	var url, target string
	run("following the source link",
		chromedp.Click("#p3 + .reuse-mark a.reuse-source", chromedp.ByQuery),
		chromedp.WaitVisible(`#report[data-id="`+futian+`"]`, chromedp.ByQuery),
		chromedp.Location(&url),
		chromedp.Evaluate(`(document.querySelector(':target') || {}).id || ''`, &target),
	)
	if !strings.HasSuffix(url, "/doc/"+futian+"#p2") || target != "p2" {
		t.Errorf("the source link opened %s at %q, want /doc/%s#p2", url, target, futian)
	}
	for _, p := range problems() {
		t.Errorf("browser: %s", p)
	}
}
