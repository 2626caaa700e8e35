// Package cli implements sonde's command line: one file per subcommand, each
// a testable run function taking a context, its arguments and its standard
// files. Main dispatches on the subcommand, or runs "trace" when sonde is
// invoked as strace.
//
// Errors: a command returns *ExitError for a status with a message (bad
// usage exits 1 with strace's wording), *SignalExit when sonde must die of
// the traced program's fatal signal, or any other error (exit 1).
package cli
