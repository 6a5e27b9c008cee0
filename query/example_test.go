package query_test

import (
	"errors"
	"fmt"

	"github.com/zhengce/zhengce/query"
)

func ExampleParse() {
	q, err := query.Parse(`統籌推進 放管服 OR 營商環境 -"疫情 防控" district:南山區 district:福田区 year:2018..2021`)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(q)
	fmt.Println(q.Phrases())
	fmt.Println(q.Filters.District, q.Filters.YearFrom, q.Filters.YearTo)

	_, err = query.Parse(`放管服 "营商环境`)
	fmt.Println(err)
	var e *query.Error
	if errors.As(err, &e) {
		fmt.Println(e.Pos)
	}

	_, err = query.Parse("  ")
	fmt.Println(errors.Is(err, query.ErrEmpty))
	// Output:
	// "统筹推进" ("放管服" OR "营商环境") -"疫情防控" district:南山区 district:福田区 year:2018..2021
	// [统筹推进 放管服 营商环境]
	// [南山区 福田区] 2018 2021
	// query: unbalanced quote: " without a closing " at character 5
	// 4
	// true
}

func ExampleParseYear() {
	for _, s := range []string{"2019", "2018..2021", "2018..", "..2021", "2021..2018"} {
		from, to, err := query.ParseYear(s)
		fmt.Println(from, to, err)
	}
	// Output:
	// 2019 2019 <nil>
	// 2018 2021 <nil>
	// 2018 0 <nil>
	// 0 2021 <nil>
	// 0 0 query: year range 2021..2018 is reversed (want 2018..2021)
}
