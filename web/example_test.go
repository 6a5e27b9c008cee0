package web_test

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"

	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/web"
)

// Serve an index over HTTP: here one request through the handler; a program
// passes the handler to web.Serve.
func Example() {
	dir, err := os.MkdirTemp("", "zhengce-example-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	reports := []index.Report{{
		Path: "2023.txt", Title: "2023年南山区政府工作报告", Province: "广东省", City: "深圳市", District: "南山区", Year: 2023,
		Paragraphs: []index.Paragraph{{Ordinal: 1, Section: "工作安排", Text: "深化“放管服”改革。"}},
	}}
	if err := index.BuildReports(filepath.Join(dir, "index"), reports); err != nil {
		panic(err)
	}
	ix, err := index.Open(filepath.Join(dir, "index"))
	if err != nil {
		panic(err)
	}
	defer ix.Close()

	srv, err := web.New(ix, web.Options{})
	if err != nil {
		panic(err)
	}
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/api/search?q=%E6%94%BE%E7%AE%A1%E6%9C%8D&district=%E5%8D%97%E5%B1%B1%E5%8C%BA", nil))
	var res index.Result
	if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
		panic(err)
	}
	fmt.Println(rec.Code, res.Total, res.Hits[0].District, res.Hits[0].Highlight)
	// Output: 200 1 南山区 深化“<mark>放管服</mark>”改革。
}
