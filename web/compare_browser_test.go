package web

import (
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestCompareBrowser reads a comparison and the targets table in headless
// Chromium as a reporter would: from the report view to the comparison
// with the year before, the edits marked, the unchanged paragraphs shown
// on request, a paragraph number opening the old report there; then the
// targets of GDP by its other name, and a result opening its paragraph.
func TestCompareBrowser(t *testing.T) {
	ctx, problems := startBrowser(t) // skips without chromium
	s, _ := compareServer(t)
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	shots := screenshotDir(t)
	run := func(step string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	n23, n24 := cmpID("南山区", 2023), cmpID("南山区", 2024)

	// 1. From the report to the comparison with 2023.
	var rows struct {
		Changed, Added, Removed, Folded, Same int
		AddedBg, RemovedBg, SentBg, Del       string
	}
	count := `(() => {
		const n = s => document.querySelectorAll(s).length;
		const bg = s => { const e = document.querySelector(s); return e ? getComputedStyle(e).backgroundColor : ''; };
		return {changed: n('tr.row-changed'), added: n('tr.row-added'), removed: n('tr.row-removed'),
			folded: n('tr.row-folded'), same: n('tr.row-same'),
			addedbg: bg('tr.row-added td.text:last-child'), removedbg: bg('tr.row-removed td.text'),
			sentbg: bg('tr.row-changed .sent-changed'), del: (document.querySelector('tr.row-changed del') || {}).textContent || ''};
	})()`
	run("opening the comparison from the report",
		chromedp.Navigate(srv.URL+"/doc/"+n24),
		chromedp.WaitVisible("#diff-link", chromedp.ByQuery),
		chromedp.Click("#diff-link", chromedp.ByQuery),
		chromedp.WaitVisible("#diff", chromedp.ByQuery),
		chromedp.Evaluate(count, &rows),
	)
	if rows.Changed != 2 || rows.Added != 1 || rows.Removed != 1 || rows.Folded != 3 || rows.Same != 0 {
		t.Errorf("rows: %+v; want 2 changed, 1 added, 1 removed, 3 folded runs, no unchanged row", rows)
	}
	transparent := func(c string) bool { return c == "" || c == "rgba(0, 0, 0, 0)" || c == "transparent" }
	if transparent(rows.AddedBg) || transparent(rows.RemovedBg) || transparent(rows.SentBg) || rows.AddedBg == rows.RemovedBg {
		t.Errorf("added %q, removed %q, changed sentence %q: want each coloured, added unlike removed", rows.AddedBg, rows.RemovedBg, rows.SentBg)
	}
	if rows.Del == "" {
		t.Errorf("no deleted text marked in a changed paragraph")
	}
	var terms string
	run("reading the phrases", chromedp.Text("#terms", &terms, chromedp.ByQuery))
	if !strings.Contains(terms, "数字孪生城市") || !strings.Contains(terms, "口袋公园") {
		t.Errorf("phrases %q: want 数字孪生城市 new and 口袋公园 dropped", terms)
	}
	var png []byte
	run("screenshot of the comparison", chromedp.CaptureScreenshot(&png))
	save(t, filepath.Join(shots, "diff.png"), png)

	// 2. Showing the unchanged paragraphs, without script: a link.
	run("showing unchanged paragraphs",
		chromedp.Click("#toggle-same", chromedp.ByQuery),
		chromedp.WaitVisible("tr.row-same", chromedp.ByQuery),
		chromedp.Evaluate(count, &rows),
	)
	if rows.Same != 4 || rows.Folded != 0 {
		t.Errorf("after showing: %d unchanged rows and %d folded, want 4 and 0", rows.Same, rows.Folded)
	}

	// 3. The removed paragraph's number opens the 2023 report there.
	var url, target string
	run("following the number of the removed paragraph",
		chromedp.Click("tr.row-removed td.pnum a", chromedp.ByQuery),
		chromedp.WaitVisible(`#report[data-id="`+n23+`"]`, chromedp.ByQuery),
		chromedp.Location(&url),
		chromedp.Evaluate(`(document.querySelector(':target') || {}).id || ''`, &target),
	)
	if !strings.HasSuffix(url, "/doc/"+n23+"#p4") || target != "p4" {
		t.Errorf("the number opened %s at %q, want /doc/%s#p4", url, target, n23)
	}

	// 4. The targets of GDP, asked for by that name.
	var places int
	var cell string
	run("filtering the targets by GDP",
		chromedp.Navigate(srv.URL+"/targets"),
		chromedp.WaitVisible("#targets-filter", chromedp.ByQuery),
		chromedp.SendKeys("#f-indicator", "GDP", chromedp.ByQuery),
		chromedp.Submit("#targets-filter", chromedp.ByQuery),
		chromedp.WaitVisible(`#f-indicator[value="地区生产总值"]`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll('.place-targets').length`, &places),
		chromedp.Evaluate(`([...document.querySelectorAll('.place-targets')].find(s => s.querySelector('h2').textContent.includes('南山区')) || {}).textContent || ''`, &cell),
	)
	if places != 3 || !strings.Contains(cell, "目标 7%左右实际 5.2%") {
		t.Errorf("/targets?indicator=GDP: %d places, 南山区's table %q; want 3, with 7%%左右 beside 5.2%%", places, cell)
	}
	run("screenshot of the targets", chromedp.CaptureScreenshot(&png))
	save(t, filepath.Join(shots, "targets.png"), png)
	run("following a result",
		chromedp.Click(`a.achieved[href="/doc/`+n24+`#p2"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#report[data-id="`+n24+`"]`, chromedp.ByQuery),
		chromedp.Location(&url),
	)
	if !strings.HasSuffix(url, "/doc/"+n24+"#p2") {
		t.Errorf("the result opened %s, want /doc/%s#p2", url, n24)
	}
	for _, p := range problems() {
		t.Errorf("browser: %s", p)
	}
}
