package web

import (
	"encoding/csv"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// colouredJS counts the coloured pixels of the canvas in the box named by
// its argument: a chart that was drawn has many.
const colouredJS = `((sel) => {
	const c = document.querySelector(sel + ' canvas');
	if (!c) return 0;
	const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
	let n = 0;
	for (let i = 0; i < px.length; i += 4) {
		const [r, g, b, a] = [px[i], px[i+1], px[i+2], px[i+3]];
		if (a > 0 && Math.max(r, g, b) - Math.min(r, g, b) > 60) n++;
	}
	return n;
})`

// TestSpreadBrowser reads the spread of 放管服 in headless Chromium as a
// reporter would: the adoption curve, the frequency and the map of China
// are drawn, the province table beside the map links to the paragraphs it
// counts, shading by share redraws the map; then a batch of phrases is
// typed into /batch and its rows and matrices come back.
func TestSpreadBrowser(t *testing.T) {
	ctx, problems := startBrowser(t)
	s, _ := testServer(t)
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	shots := screenshotDir(t)
	run := func(step string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}

	// 1. From the search page to the spread of the query.
	var adoption, frequency, mapPixels, provinces int
	run("opening the spread of 放管服 from the search page",
		chromedp.Navigate(srv.URL+"/?q=放管服"),
		chromedp.WaitVisible("#spread-link", chromedp.ByQuery),
		chromedp.Click("#spread-link", chromedp.ByQuery),
		chromedp.WaitVisible("#first-use-table", chromedp.ByQuery),
		chromedp.Click(`nav.splits a[href*="level=province"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#adoption-chart[data-rendered="true"] canvas`, chromedp.ByQuery),
		chromedp.WaitVisible(`#frequency-chart[data-rendered="true"] canvas`, chromedp.ByQuery),
		chromedp.WaitVisible(`#map-chart[data-rendered="true"] canvas`, chromedp.ByQuery),
		chromedp.Evaluate(colouredJS+`('#adoption-chart')`, &adoption),
		chromedp.Evaluate(colouredJS+`('#frequency-chart')`, &frequency),
		chromedp.Evaluate(colouredJS+`('#map-chart')`, &mapPixels),
		chromedp.Evaluate(`document.querySelectorAll('#province-table tr.province-row').length`, &provinces),
	)
	if adoption < 100 || frequency < 100 || mapPixels < 1000 {
		t.Errorf("coloured pixels: adoption %d, frequency %d, map %d; a chart was not drawn", adoption, frequency, mapPixels)
	}
	if provinces != 3 {
		t.Errorf("%d provinces in the table beside the map, want 3", provinces)
	}
	var png []byte
	run("screenshot of /spread", chromedp.CaptureScreenshot(&png))
	save(t, filepath.Join(shots, "spread.png"), png)
	run("screenshot of the map", chromedp.ScrollIntoView("#map", chromedp.ByQuery), chromedp.Screenshot("#map", &png, chromedp.ByQuery))
	save(t, filepath.Join(shots, "spread-map.png"), png)

	// 2. Shading by share redraws the map, with the same table.
	var shade string
	run("shading by share",
		chromedp.Click(`#map nav.splits a[href*="shade=share"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#map-chart[data-rendered="true"] canvas`, chromedp.ByQuery),
		chromedp.Evaluate(`JSON.parse(document.getElementById('spread-data').textContent).shade`, &shade),
		chromedp.Evaluate(colouredJS+`('#map-chart')`, &mapPixels),
	)
	if shade != "share" || mapPixels < 1000 {
		t.Errorf("after shading by share: shade %q, %d coloured pixels", shade, mapPixels)
	}

	// 3. The province's paragraph count opens the search that finds them.
	var count, total string
	run("following 广东省's paragraph count",
		chromedp.Text(`tr.province-row[data-province="广东省"] a.hits`, &count, chromedp.ByQuery),
		chromedp.Click(`tr.province-row[data-province="广东省"] a.hits`, chromedp.ByQuery),
		chromedp.WaitVisible("#total", chromedp.ByQuery),
		chromedp.AttributeValue("#total", "data-total", &total, nil, chromedp.ByQuery),
	)
	if count == "" || count != total {
		t.Errorf("广东省 counts %q paragraphs; its link finds %q", count, total)
	}

	// 4. A batch of 20 phrases typed into the form: one row each, the
	// year matrix as many rows, and the CSV download one line each with
	// the byte-order mark Excel needs and the same totals.
	batchQueries := []string{"放管服", "营商环境", "数字政府", "乡村振兴", "高质量发展", "新质生产力", "一网通办", "河长制",
		"供给侧结构性改革", "改革开放", "民生", "科技创新", "绿色发展", "城市更新", "人才", "招商引资", "生态文明", "共同富裕", "双碳", "不存在的提法甲乙"}
	var rows, yearRows int
	var first, csvText string
	run("running a batch",
		chromedp.Navigate(srv.URL+"/batch"),
		chromedp.WaitVisible("#batch-queries", chromedp.ByQuery),
		chromedp.SetValue("#batch-queries", strings.Join(batchQueries, "\n"), chromedp.ByQuery),
		chromedp.Click("#batch-run", chromedp.ByQuery),
		chromedp.WaitVisible("#batch-table", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll('#batch-table tr.batch-row').length`, &rows),
		chromedp.Evaluate(`document.querySelectorAll('#batch-years tbody tr').length`, &yearRows),
		chromedp.AttributeValue(`#batch-table tr.batch-row[data-query="放管服"]`, "data-total", &first, nil, chromedp.ByQuery),
		chromedp.Evaluate(`fetch('/batch.csv', {method: 'POST', body: new FormData(document.getElementById('batch-form'))}).then(r => r.arrayBuffer()).then(b => { const u = new Uint8Array(b); return (u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF ? 'BOM:' : '') + new TextDecoder().decode(b) })`, &csvText,
			func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
	)
	if rows != len(batchQueries) || yearRows != len(batchQueries) || first != strconv.Itoa(len(bruteForce("放管服", nil))) {
		t.Errorf("/batch: %d rows, %d year-matrix rows, 放管服 %s paragraphs; want %d, %d, %d", rows, yearRows, first, len(batchQueries), len(batchQueries), len(bruteForce("放管服", nil)))
	}
	if !strings.HasPrefix(csvText, "BOM:query,") {
		t.Errorf("the CSV download starts %.40q, want a byte-order mark and the header", csvText)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvText, "BOM:"))).ReadAll()
	if err != nil || len(recs) != len(batchQueries)+1 {
		t.Fatalf("the CSV download: %d records (%v), want a header and %d rows", len(recs), err, len(batchQueries))
	}
	for i, q := range batchQueries {
		if rec := recs[i+1]; rec[0] != q || rec[2] != strconv.Itoa(len(bruteForce(q, nil))) {
			t.Errorf("CSV row %d = %q total %s, want %q total %d", i+1, rec[0], rec[2], q, len(bruteForce(q, nil)))
		}
	}
	run("screenshot of the batch results", chromedp.ScrollIntoView("#batch-results", chromedp.ByQuery),
		chromedp.Screenshot("#batch-results", &png, chromedp.ByQuery))
	save(t, filepath.Join(shots, "batch.png"), png)

	for _, p := range problems() {
		if strings.Contains(p, "favicon") {
			continue
		}
		t.Errorf("browser: %s", p)
	}
}
