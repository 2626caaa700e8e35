package main

import (
	"context"
	"os"

	"github.com/sonde-dev/sonde/internal/cli"
)

func main() {
	os.Exit(cli.Main(context.Background(), os.Args, cli.Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}))
}
