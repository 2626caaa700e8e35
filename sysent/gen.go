package sysent

//go:generate go run ../internal/gen/sysent
