package web

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/zhengce/zhengce/index"
	"github.com/zhengce/zhengce/saved"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed assets
var assetFS embed.FS

// Options tune a Server. The zero value is usable.
type Options struct {
	// MaxPageSize bounds the size parameter (default 100, at most 10000).
	MaxPageSize int
	// RequestTimeout bounds the work done for one request (default 30s).
	// It is the deadline of the context every Searcher call gets; when it
	// passes the request is answered 503, and its search slot is freed even
	// if the engine has not yet returned.
	RequestTimeout time.Duration
	// Version is shown in the page footer.
	Version string
	// ErrorLog receives server-side errors (HTTP 5xx); nil discards them.
	ErrorLog io.Writer
	// MaxConcurrentSearches bounds the searches run at once (default
	// GOMAXPROCS); more requests wait their turn, at most until their
	// deadline.
	MaxConcurrentSearches int
	// Saved keeps the saved searches (/saved); nil serves none.
	Saved *saved.Store
	// Reuse, if set, gives the text reuse table: /reuse, /api/reuse and
	// the marks in the report view. Without it they are not shown (404).
	Reuse ReuseSource
}

// Defaults for Options.
const (
	DefaultMaxPageSize    = 100
	DefaultRequestTimeout = 30 * time.Second
)

// contentSecurityPolicy lets the page load scripts, styles and images only
// from this server and run no inline script, so even markup that slipped
// past escaping could not execute. Inline styles stay allowed because
// ECharts styles its tooltips with style attributes.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// A Server answers search requests from one index.Searcher. It is safe for
// concurrent use; create it with New.
type Server struct {
	searcher  *limitedSearcher
	opts      Options
	templates *template.Template
	assets    fs.FS
	assetTags map[string]string // asset name → content hash, for cache busting
	errorLog  *log.Logger
	echo      *echo.Echo
	targets   *targetsCache // targets.go
	// spreadTables caches the report table of /spread.
	spreadTables spreadTables
}

// New returns a Server over s. It parses the embedded templates up front and
// returns an error if they are broken.
func New(s index.Searcher, opts Options) (*Server, error) {
	if s == nil {
		return nil, errors.New("web: New: nil Searcher")
	}
	if opts.MaxPageSize <= 0 {
		opts.MaxPageSize = DefaultMaxPageSize
	}
	opts.MaxPageSize = min(opts.MaxPageSize, maxPagedResults)
	if opts.RequestTimeout <= 0 {
		opts.RequestTimeout = DefaultRequestTimeout
	}
	errw := opts.ErrorLog
	if errw == nil {
		errw = io.Discard
	}
	errorLog := log.New(errw, "web: ", log.LstdFlags)
	srv := &Server{
		searcher: newLimitedSearcher(s, opts.MaxConcurrentSearches, errorLog),
		opts:     opts,
		assets:   echo.MustSubFS(assetFS, "assets"),
		errorLog: errorLog,
		targets:  newTargetsCache(),
	}
	var err error
	if srv.assetTags, err = hashAssets(srv.assets); err != nil {
		return nil, err
	}
	tmpl := template.New("").Funcs(template.FuncMap{
		"asset":   srv.assetURL,
		"canSave": func() bool { return opts.Saved != nil },
	})
	if srv.templates, err = tmpl.ParseFS(templateFS, "templates/*.html"); err != nil {
		return nil, fmt.Errorf("web: parsing templates: %w", err)
	}
	for _, name := range []string{"search.html", "doc.html", "error.html", "reuse.html", "spread.html", "batch.html"} {
		if srv.templates.Lookup(name) == nil {
			return nil, fmt.Errorf("web: template %s is missing", name)
		}
	}
	srv.echo = srv.routes()
	return srv, nil
}

// Handler returns the HTTP handler serving every page, export and API route.
func (s *Server) Handler() http.Handler { return s.echo }

func (s *Server) routes() *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.Renderer = &echo.TemplateRenderer{Template: s.templates}
	e.HTTPErrorHandler = s.handleError
	e.IPExtractor = echo.ExtractIPDirect()

	e.Use(recoverPanics)
	e.Use(securityHeaders)
	e.Use(middleware.ContextTimeout(s.opts.RequestTimeout))

	// HEAD is answered wherever GET is, as HTTP requires: link checkers and
	// monitors use it. The handler runs as for GET; net/http drops the body.
	getOrHead := []string{http.MethodGet, http.MethodHead}
	e.Match(getOrHead, "/", s.searchPage)
	e.Match(getOrHead, "/doc/:id", s.docPage)
	e.Match(getOrHead, "/export.csv", s.exportCSV)
	e.Match(getOrHead, "/export.json", s.exportJSON)
	e.Match(getOrHead, "/api/search", s.apiSearch)
	e.Match(getOrHead, "/api/doc/:id", s.apiDoc)
	e.Match(getOrHead, "/new", s.newPage) // novelty.go
	e.Match(getOrHead, "/api/new", s.apiNew)
	s.savedRoutes(e, getOrHead) // saved.go
	s.reuseRoutes(e, getOrHead)
	s.diffRoutes(e, getOrHead)    // diff.go
	s.targetsRoutes(e, getOrHead) // targets.go
	s.spreadRoutes(e, getOrHead)  // spread.go
	s.batchRoutes(e, getOrHead)   // batch.go
	assets := e.Group("/assets", cacheAssets, middleware.Gzip())
	// What Group.StaticFS registers, for HEAD too.
	assets.Match(getOrHead, "/*", echo.StaticDirectoryHandler(s.assets, !e.EnablePathUnescapingStaticFiles))
	return e
}

// A panicError is a panic recovered in a handler or an engine call; it is
// answered 500 and logged with its stack.
type panicError struct {
	value any
	stack []byte
}

func (e *panicError) Error() string { return fmt.Sprintf("panic: %v", e.value) }

// recoverPanics turns a panic in any later middleware or handler into a
// *panicError, so one bad request is a 500 in the log rather than a dropped
// connection. It is the last line of defence, not error handling.
// http.ErrAbortHandler is re-raised: it is how a handler asks net/http to
// abort the response.
func recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				err = &panicError{value: r, stack: debug.Stack()}
			}
		}()
		return next(c)
	}
}

// securityHeaders sets the headers every response carries.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		// Searches are in URLs; they must not leak to other sites.
		h.Set("Referrer-Policy", "same-origin")
		return next(c)
	}
}

// cacheAssets lets browsers keep assets: their URLs change with their content.
func cacheAssets(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "public, max-age=86400")
		return next(c)
	}
}

// hashAssets returns a short content hash of every embedded asset.
func hashAssets(assets fs.FS) (map[string]string, error) {
	tags := map[string]string{}
	err := fs.WalkDir(assets, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(assets, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		tags[name] = hex.EncodeToString(sum[:6])
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: hashing embedded assets: %w", err)
	}
	return tags, nil
}

// assetURL is the URL of an embedded asset, versioned by its content. A
// template naming a missing asset fails to render.
func (s *Server) assetURL(name string) (string, error) {
	tag, ok := s.assetTags[name]
	if !ok {
		return "", fmt.Errorf("web: no asset %q", name)
	}
	return "/assets/" + name + "?v=" + tag, nil
}

// errorView is the data of error.html.
type errorView struct {
	Status  int
	Title   string
	Message string
	Query   string
	Hidden  []hiddenField // none: the form starts a new search
	Version string
}

// handleError turns an error from a handler into a response: JSON for the
// API and exports, a page for the rest. Errors caused by the request are 4xx
// with a message naming what was wrong; only the server's own faults are 5xx
// and logged.
func (s *Server) handleError(err error, c echo.Context) {
	defer func() {
		// A panic while answering (an error whose message panics, a broken
		// template) still gets a plain 500, never a dropped connection.
		if r := recover(); r != nil {
			if r == http.ErrAbortHandler {
				panic(r)
			}
			s.errorLog.Printf("%s %s: panic while answering an error: %v\n%s", c.Request().Method, c.Request().URL.Path, r, debug.Stack())
			if w := c.Response(); !w.Committed {
				w.Header().Set(echo.HeaderContentType, echo.MIMETextPlainCharsetUTF8)
				w.WriteHeader(http.StatusInternalServerError)
				io.WriteString(w, "500 服务器内部错误\n")
			}
		}
	}()
	var stack []byte // of a panic, logged after its message
	if pe := (*panicError)(nil); errors.As(err, &pe) {
		stack = pe.stack
	}
	if c.Response().Committed {
		s.errorLog.Printf("%s %s: after response started: %v\n%s", c.Request().Method, c.Request().URL.Path, err, stack)
		return
	}
	status, msg := classify(err)
	if status >= 500 {
		s.errorLog.Printf("%s %s: %v\n%s", c.Request().Method, c.Request().URL.RequestURI(), err, stack)
	}
	path := c.Request().URL.Path
	var werr error
	if strings.HasPrefix(path, "/api/") || strings.HasPrefix(path, "/export.") || strings.HasPrefix(path, "/assets/") {
		werr = c.JSON(status, map[string]string{"error": msg})
	} else {
		werr = c.Render(status, "error.html", errorView{
			Status:  status,
			Title:   http.StatusText(status),
			Message: msg,
			Query:   strings.ToValidUTF8(c.QueryParam(paramQuery), "\uFFFD"), // shown back in the form
			Version: s.opts.Version,
		})
	}
	if werr != nil {
		s.errorLog.Printf("%s %s: writing error response: %v", c.Request().Method, path, werr)
	}
}

// classify maps an error to an HTTP status and a message for the user.
func classify(err error) (int, string) {
	var pe *paramError
	var he *echo.HTTPError
	var np *errNoPrevious
	switch {
	case errors.As(err, &pe):
		return http.StatusBadRequest, pe.Error()
	case errors.As(err, &np):
		return http.StatusNotFound, np.Error()
	case errors.Is(err, index.ErrBadQuery):
		return http.StatusBadRequest, "查询有误：" + err.Error()
	case errors.Is(err, index.ErrNotFound):
		return http.StatusNotFound, "找不到这份报告：" + err.Error()
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, "查询超时，请缩小范围后重试"
	case errors.Is(err, context.Canceled):
		return 499, "请求已取消" // the client went away; nobody reads this
	case errors.As(err, &he):
		switch he.Code {
		case http.StatusNotFound:
			return he.Code, "页面不存在"
		case http.StatusMethodNotAllowed:
			return he.Code, "不支持此请求方法"
		case http.StatusServiceUnavailable:
			return he.Code, "查询超时，请缩小范围后重试"
		}
		if he.Code < 500 {
			return he.Code, fmt.Sprint(he.Message)
		}
	}
	return http.StatusInternalServerError, "服务器内部错误"
}

// Server timeouts: a slow or stalled client cannot hold a connection for
// long; writing may take longer than a search because exports are large.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 2 * time.Minute
	idleTimeout       = 2 * time.Minute
	shutdownGrace     = 10 * time.Second
)

// Serve listens on addr and serves h until ctx is cancelled, then shuts
// down gracefully: it stops accepting connections and waits (at most 10s)
// for requests in flight. It writes the address it serves on, and server
// errors, to logw.
func Serve(ctx context.Context, addr string, h http.Handler, logw io.Writer) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("web: listening on %s: %w", addr, err)
	}
	return serve(ctx, ln, h, logw)
}

func serve(ctx context.Context, ln net.Listener, h http.Handler, logw io.Writer) error {
	if logw == nil {
		logw = io.Discard
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          log.New(logw, "web: ", log.LstdFlags),
	}
	fmt.Fprintf(logw, "serving on http://%s\n", ln.Addr())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("web: serving on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		return fmt.Errorf("web: shutting down: %w", err)
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("web: serving on %s: %w", ln.Addr(), err)
	}
	fmt.Fprintln(logw, "server stopped")
	return nil
}
