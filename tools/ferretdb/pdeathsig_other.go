//go:build !linux

package main

func setParentDeathSignal() error { return nil }
