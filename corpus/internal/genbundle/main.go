// Command genbundle packs corpus/reports into the zip archive that package
// corpus embeds as Bundled. Go's embed refuses file names with characters
// such as full-width brackets, which real report names have, so the reports
// travel inside an archive. Run `go generate ./corpus/` after changing
// corpus/reports; TestBundledMatchesReports fails until you do.
package main

import (
	"archive/zip"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"time"
)

func main() {
	src := flag.String("src", "reports", "directory to pack; its base name becomes the archive root")
	out := flag.String("out", "bundled/reports.zip", "archive to write")
	flag.Parse()
	if err := run(*src, *out); err != nil {
		fmt.Fprintln(os.Stderr, "genbundle:", err)
		os.Exit(1)
	}
}

func run(src, out string) error {
	tmp := out + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	zw := zip.NewWriter(f)
	root := filepath.Base(src)
	stamp := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC) // fixed, so the archive only changes with its content
	err = fs.WalkDir(os.DirFS(src), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(os.DirFS(src), p)
		if err != nil {
			return err
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: path.Join(root, p), Method: zip.Deflate, Modified: stamp})
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	})
	if err != nil {
		f.Close()
		return fmt.Errorf("packing %s: %w", src, err)
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, out)
}
