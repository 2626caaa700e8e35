// Package output renders tracer events: Text prints them exactly as strace
// 6.1 does (line prefixes, result column, <unfinished ...> and resumed
// lines, signal and exit lines, string escaping). JSON lines and Perfetto
// timelines render the same events.
//
// Renderers buffer; Flush writes what is held. Write errors are kept and
// returned by Flush and Err: the first one wins.
package output
