package main

import "syscall"

// setParentDeathSignal asks Linux to send SIGTERM when our parent exits.
func setParentDeathSignal() error {
	_, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, syscall.PR_SET_PDEATHSIG, uintptr(syscall.SIGTERM), 0)
	if errno != 0 {
		return errno
	}
	return nil
}
