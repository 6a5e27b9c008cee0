package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/zhengce/zhengce/index"
)

// apiSearch serves /api/search: the index.Result of one page, the same JSON
// as `search -json`.
func (s *Server) apiSearch(c echo.Context) error {
	p, err := parseSearchParams(c.QueryParams(), apiParams, s.opts.MaxPageSize)
	if err != nil {
		return err
	}
	res, err := s.searcher.Search(c.Request().Context(), p.request())
	if err != nil {
		return err
	}
	if res.Hits == nil {
		res.Hits = []index.Hit{} // [] rather than null, for clients
	}
	return c.JSON(http.StatusOK, res)
}
