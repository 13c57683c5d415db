#!/usr/bin/env python3
"""Where a driver's time went, from a JFR recording: tools/jfr-breakdown.py RECORDING.jfr

Counts JFR's method samples (jdk.ExecutionSample: threads running Java; jdk.NativeMethodSample:
threads inside a native call) and sorts each into one bucket by its stack:
  syscalls   the thread is in a system call made for the driver (fsync, rename, open, FFM calls)
  csi4j      Java code with a csi4j frame on the stack (ours, and the JDK/library code it calls)
  grpc       gRPC, Netty and protobuf work with no csi4j frame (transport, framing)
  other      the JVM's own work (start-up, JFR)
Threads waiting for work (epoll_wait, parked pool threads, accept) are idle, not counted.
Prints each bucket's share, the ten most frequent top frames of each, and the csi4j methods
under which the csi4j bucket's samples fall.
"""
import json
import subprocess
import sys
from collections import Counter

IDLE = ("epollWait", "Native.epoll", "LockSupport.park", "Unsafe.park", "Object.wait", "Thread.sleep",
        "ServerSocketChannelImpl.accept", "accept0", "SignalDispatcher", "Reference.waitForReferencePendingList",
        "EPoll.wait", "Signal.dispatch")
SYSCALL = ("FileDispatcherImpl", "UnixNativeDispatcher", "UnixFileSystem", "FileChannelImpl.force",
           "jdk.internal.foreign", "io.csi4j.linux", "UnixCopyFile", "UnixFileAttributes", "Native.write",
           "fsync", "force0", "IOUtil")


def frames(event):
    stack = event["values"].get("stackTrace") or {}
    out = []
    for frame in stack.get("frames", []):
        method = frame["method"]
        out.append(method["type"]["name"].replace("/", ".") + "." + method["name"])
    return out


def main(path):
    text = subprocess.run(["jfr", "print", "--json", "--stack-depth", "64", "--events",
                           "jdk.ExecutionSample,jdk.NativeMethodSample", path],
                          check=True, capture_output=True, text=True).stdout
    events = json.loads(text)["recording"]["events"]
    buckets = Counter()
    tops = {name: Counter() for name in ("syscalls", "csi4j", "grpc", "other")}
    ours = Counter()  # csi4j bucket: the innermost csi4j frame, i.e. which of our methods the time is under
    for event in events:
        stack = frames(event)
        if not stack:
            continue
        joined = " ".join(stack)
        if any(marker in joined for marker in IDLE):
            continue
        native = event["type"] == "jdk.NativeMethodSample"
        if native or any(marker in stack[0] for marker in SYSCALL):
            bucket = "syscalls"
        elif "io.csi4j." in joined:
            bucket = "csi4j"
        elif any(p in joined for p in ("io.grpc.", "io.netty.", "com.google.protobuf.")):
            bucket = "grpc"
        else:
            bucket = "other"
        buckets[bucket] += 1
        if bucket == "csi4j":
            ours[next(frame for frame in stack if frame.startswith("io.csi4j."))] += 1
        tops[bucket][stack[0]] += 1
    total = sum(buckets.values())
    print(f"{total} busy samples")
    for name in ("syscalls", "csi4j", "grpc", "other"):
        print(f"{name:9s} {buckets[name]:6d}  {100.0 * buckets[name] / max(total, 1):5.1f} %")
        for frame, count in tops[name].most_common(10):
            print(f"           {count:5d}  {frame}")
    print("csi4j samples by the innermost csi4j method:")
    for frame, count in ours.most_common(15):
        print(f"           {count:5d}  {frame}")


if __name__ == "__main__":
    main(sys.argv[1])
