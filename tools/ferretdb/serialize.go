package main

// FerretDB v1 runs a read-modify-write command (update, findAndModify, delete) as a
// query followed by separate writes, without a transaction. Two such commands on the
// same document at the same time both see the old version: a conditional update
// ("set v to 1 where v is 0") succeeds more than once and concurrent $inc lose
// increments (measured: 3 winners of 20 compare-and-set updates, 2 of 100 increments
// kept). MongoDB applies every single-document write atomically, and the product
// relies on that (claims, versions, counters, seats).
//
// So the wrapper puts a small proxy in front of FerretDB: clients connect to the TCP
// address, FerretDB listens on a private Unix socket, and the proxy lets only one
// read-modify-write command be in flight at a time across all connections. Reads and
// inserts pass through untouched and concurrently. This restores MongoDB's
// single-document atomicity for every client of the embedded database, including
// several product processes sharing it.

import (
	"encoding/binary"
	"errors"
	"io"
	"net"
	"sync"
)

// opMsg is the wire-protocol opcode of OP_MSG, the only one modern drivers send.
const opMsg = 2013

var readModifyWrite = map[string]bool{
	"update":        true,
	"findAndModify": true,
	"findandmodify": true,
	"delete":        true,
}

// writeLock is held from the moment a read-modify-write command is forwarded until
// FerretDB's reply to it has been read.
var writeLock sync.Mutex

// serveSerialized accepts clients on ln and proxies each to the FerretDB socket.
func serveSerialized(ln net.Listener, backendSocket string) error {
	for {
		client, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		go proxyConnection(client, backendSocket)
	}
}

func proxyConnection(client net.Conn, backendSocket string) {
	defer client.Close()
	backend, err := net.Dial("unix", backendSocket)
	if err != nil {
		return
	}
	defer backend.Close()

	// The request id of the read-modify-write command whose reply we wait for (0: none).
	var waiting int32
	var mu sync.Mutex
	done := make(chan struct{}, 2)

	// Client to FerretDB.
	go func() {
		defer func() { done <- struct{}{} }()
		for {
			msg, err := readMessage(client)
			if err != nil {
				return
			}
			if commandName(msg) != "" && readModifyWrite[commandName(msg)] && !moreToCome(msg) {
				writeLock.Lock()
				mu.Lock()
				waiting = int32(binary.LittleEndian.Uint32(msg[4:8]))
				mu.Unlock()
			}
			if _, err := backend.Write(msg); err != nil {
				return
			}
		}
	}()

	// FerretDB to client.
	go func() {
		defer func() { done <- struct{}{} }()
		for {
			msg, err := readMessage(backend)
			if err != nil {
				return
			}
			responseTo := int32(binary.LittleEndian.Uint32(msg[8:12]))
			mu.Lock()
			if waiting != 0 && responseTo == waiting {
				waiting = 0
				writeLock.Unlock()
			}
			mu.Unlock()
			if _, err := client.Write(msg); err != nil {
				return
			}
		}
	}()

	<-done
	// A connection that dies while its command holds the lock must release it.
	mu.Lock()
	if waiting != 0 {
		waiting = 0
		writeLock.Unlock()
	}
	mu.Unlock()
}

// readMessage reads one whole wire-protocol message (its length is its first field).
func readMessage(r io.Reader) ([]byte, error) {
	var header [4]byte
	if _, err := io.ReadFull(r, header[:]); err != nil {
		return nil, err
	}
	n := int(binary.LittleEndian.Uint32(header[:]))
	if n < 16 || n > 64<<20 {
		return nil, errors.New("bad message length")
	}
	msg := make([]byte, n)
	copy(msg, header[:])
	if _, err := io.ReadFull(r, msg[4:]); err != nil {
		return nil, err
	}
	return msg, nil
}

// commandName is the first key of an OP_MSG's body section (e.g. "update"), or "".
func commandName(msg []byte) string {
	if len(msg) < 21+5 || binary.LittleEndian.Uint32(msg[12:16]) != opMsg {
		return ""
	}
	// header (16) + flagBits (4) + section kind (1), then the body BSON document:
	// int32 length, then elements: type byte, name (cstring), value.
	i := 16 + 4
	if msg[i] != 0 {
		return ""
	}
	i += 1 + 4 + 1
	for j := i; j < len(msg); j++ {
		if msg[j] == 0 {
			return string(msg[i:j])
		}
	}
	return ""
}

// moreToCome: the client expects no reply (unacknowledged write), so nothing would
// release the lock.
func moreToCome(msg []byte) bool {
	return binary.LittleEndian.Uint32(msg[16:20])&2 != 0
}
