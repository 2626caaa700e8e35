// Command sonde inspects and controls Linux processes through ptrace(2).
// Invoked as "strace" it behaves as "sonde trace".
package main
