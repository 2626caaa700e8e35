package audit

import (
	"bufio"
	"compress/gzip"
	"io"
	"os"
	"strings"
)

// readKernelConfig reads the first readable kernel configuration among
// paths (gzipped when the name ends in .gz: /proc/config.gz) and returns its
// set options (CONFIG_X -> "y", "m", "\"string\"") and the path read; nil
// when none is readable.
func readKernelConfig(paths []string) (map[string]string, string) {
	for _, p := range paths {
		if cfg, err := parseKernelConfig(p); err == nil {
			return cfg, p
		}
	}
	return nil, ""
}

func parseKernelConfig(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		gz, err := gzip.NewReader(f)
		if err != nil {
			return nil, err
		}
		defer gz.Close()
		r = gz
	}
	cfg := map[string]string{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if k, v, ok := strings.Cut(line, "="); ok && strings.HasPrefix(k, "CONFIG_") {
			cfg[k] = v
		}
	}
	return cfg, sc.Err()
}
