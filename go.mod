module github.com/sonde-dev/sonde

go 1.26.8

require (
	github.com/spf13/pflag v1.1.0
	golang.org/x/net v0.62.0
	golang.org/x/sys v0.50.0
)

require github.com/go-delve/delve v1.27.2

require github.com/cilium/ebpf v0.22.0
