package bench

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver: pure Go, no cgo
)

// FTSResult is the same corpus and mix in SQLite FTS5 with the trigram
// tokenizer: what a newsroom gets from `sqlite3` with no code.
type FTSResult struct {
	Skipped     string
	Version     string
	Elapsed     time.Duration // loading and indexing
	MBps        float64
	Size        int64
	Rounds      int
	Overall     Latency
	Phrase      Latency
	Answerable  Latency // queries whose every phrase has ≥ 3 characters
	ByClass     map[string]Latency
	ShortSilent int // queries with a 1–2 character phrase: trigram MATCH returns nothing
}

// ftsSchema stores the paragraph text indexed by trigrams and the facet
// fields unindexed, as one table.
const ftsSchema = `CREATE VIRTUAL TABLE p USING fts5(
	text, province UNINDEXED, city UNINDEXED, district UNINDEXED, year UNINDEXED, section UNINDEXED,
	tokenize = 'trigram')`

func runFTS5(ctx context.Context, cfg *Config, corp *Corpus, res *Results) error {
	path := filepath.Join(cfg.WorkDir, "fts5.db")
	for _, suffix := range []string{"", "-journal", "-wal", "-shm"} {
		os.Remove(path + suffix)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		return fmt.Errorf("opening %s: %w", path, err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	fr := &res.FTS
	if err := db.QueryRowContext(ctx, "SELECT sqlite_version()").Scan(&fr.Version); err != nil {
		return err
	}
	for _, pragma := range []string{"PRAGMA journal_mode = OFF", "PRAGMA synchronous = OFF", "PRAGMA cache_size = -262144"} {
		if _, err := db.ExecContext(ctx, pragma); err != nil {
			return fmt.Errorf("%s: %w", pragma, err)
		}
	}
	if _, err := db.ExecContext(ctx, ftsSchema); err != nil {
		return fmt.Errorf("creating the FTS5 table: %w", err)
	}
	cfg.logf("FTS5 (SQLite %s): loading %d paragraphs", fr.Version, cfg.N)
	t0 := time.Now()
	var tx *sql.Tx
	var ins *sql.Stmt
	n := 0
	var textBytes int64
	err = corp.Paragraphs(func(p *Paragraph) error {
		if tx == nil {
			var err error
			if tx, err = db.BeginTx(ctx, nil); err != nil {
				return err
			}
			if ins, err = tx.PrepareContext(ctx, "INSERT INTO p (text, province, city, district, year, section) VALUES (?, ?, ?, ?, ?, ?)"); err != nil {
				return err
			}
		}
		if _, err := ins.ExecContext(ctx, p.Text, p.Province, p.City, p.District, p.Year, p.Section); err != nil {
			return err
		}
		textBytes += int64(len(p.Text))
		n++
		if n%20000 == 0 {
			ins.Close()
			err := tx.Commit()
			tx = nil
			return err
		}
		return nil
	})
	if err == nil && tx != nil {
		ins.Close()
		err = tx.Commit()
	}
	if err != nil {
		return fmt.Errorf("loading FTS5: %w", err)
	}
	fr.Elapsed = time.Since(t0)
	fr.MBps = float64(textBytes) / 1e6 / fr.Elapsed.Seconds()
	if st, err := os.Stat(path); err == nil {
		fr.Size = st.Size()
	}
	cfg.logf("FTS5: loaded in %v, %.2f MB/s, %s", fr.Elapsed.Round(time.Millisecond), fr.MBps, mb(fr.Size))

	stmts := make([]ftsQuery, len(res.Queries))
	for i, q := range res.Queries {
		stmts[i] = newFTSQuery(q.Query)
		if q.Query.minTermRunes() < 3 {
			fr.ShortSilent++
		}
	}
	times, rounds, _, err := timeMix(ctx, cfg, len(stmts), func(i int) error {
		count, err := stmts[i].run(ctx, db)
		res.Queries[i].FTSCount = count
		if err != nil {
			return fmt.Errorf("FTS5 query %q: %w", res.Queries[i].Query, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	fr.Rounds = rounds
	for i := range times {
		res.Queries[i].FTSLat = summarize(times[i])
	}
	fr.Overall, fr.Phrase, fr.ByClass = phaseSummary(res.Queries, times, nil)
	fr.Answerable, _, _ = phaseSummary(res.Queries, times, func(i int) bool { return res.Queries[i].Query.minTermRunes() >= 3 })
	cfg.logf("FTS5: %d rounds, p50 %s ms, p99 %s ms", rounds, ms(fr.Overall.P50), ms(fr.Overall.P99))
	return nil
}

// ftsQuery is one query of the mix as the three statements a results page
// needs: the count, the top 20 with snippets, and the district facet.
type ftsQuery struct {
	where string
	args  []any
}

func newFTSQuery(q Query) ftsQuery {
	where := []string{"p MATCH ?"}
	args := []any{q.ftsMatch()}
	add := func(cond string, v any) {
		where = append(where, cond)
		args = append(args, v)
	}
	if q.Province != "" {
		add("province = ?", q.Province)
	}
	if q.District != "" {
		add("district = ?", q.District)
	}
	if q.Section != "" {
		add("section = ?", q.Section)
	}
	if q.YearFrom != 0 {
		add("year >= ?", q.YearFrom)
	}
	if q.YearTo != 0 {
		add("year <= ?", q.YearTo)
	}
	return ftsQuery{where: strings.Join(where, " AND "), args: args}
}

func (f ftsQuery) run(ctx context.Context, db *sql.DB) (int, error) {
	var count int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM p WHERE "+f.where, f.args...).Scan(&count); err != nil {
		return 0, err
	}
	rows, err := db.QueryContext(ctx, "SELECT rowid, province, district, year, section, snippet(p, 0, '<mark>', '</mark>', '…', 24) FROM p WHERE "+
		f.where+" ORDER BY rank LIMIT 20", f.args...)
	if err != nil {
		return count, err
	}
	for rows.Next() {
		var id, year int
		var prov, dist, sec, snip string
		if err := rows.Scan(&id, &prov, &dist, &year, &sec, &snip); err != nil {
			rows.Close()
			return count, err
		}
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return count, err
	}
	if err := rows.Close(); err != nil {
		return count, err
	}
	rows, err = db.QueryContext(ctx, "SELECT district, count(*) AS n FROM p WHERE "+f.where+" GROUP BY district ORDER BY n DESC", f.args...)
	if err != nil {
		return count, err
	}
	for rows.Next() {
		var dist string
		var n int
		if err := rows.Scan(&dist, &n); err != nil {
			rows.Close()
			return count, err
		}
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return count, err
	}
	return count, rows.Close()
}
