#!/usr/bin/env python3
"""Drives a command in a pseudo-terminal and times its answers to keys.

Usage: pty-keys.py PLAN.json -- COMMAND ARGS...
PLAN: {"columns": 80, "rows": 24, "ready": "text", "readyTimeout": 60,
       "keys": [{"send": "f", "expect": "text", "timeout": 10, "pause": 0.3}, ...],
       "quit": "q"}
Waits until the screen output contains `ready`, then for each key writes `send` and measures
the seconds until output written after it contains `expect`. Prints one JSON line:
{"latenciesMs": [...], "missed": [...], "exit": code, "tail": "..."}.
Only the standard library: no native build, works wherever Python 3 does.
"""
import fcntl, json, os, pty, re, select, signal, struct, sys, termios, time

ANSI = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")


def main():
    plan = json.load(open(sys.argv[1]))
    cmd = sys.argv[sys.argv.index("--") + 1:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(cmd[0], cmd)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", plan.get("rows", 24), plan.get("columns", 80), 0, 0))
    os.kill(pid, signal.SIGWINCH)
    out = bytearray()

    def pump(timeout):
        r, _, _ = select.select([fd], [], [], timeout)
        if not r:
            return False
        try:
            data = os.read(fd, 65536)
        except OSError:
            raise EOFError
        if not data:
            raise EOFError
        out.extend(data)
        return True

    def plain(start=0):
        return ANSI.sub(b"", bytes(out[start:])).decode("utf-8", "replace")

    def wait_for(text, start, timeout):
        until = time.monotonic() + timeout
        while time.monotonic() < until:
            if text in plain(start):
                return True
            try:
                pump(min(0.02, max(0, until - time.monotonic())))
            except EOFError:
                return text in plain(start)
        return text in plain(start)

    result = {"latenciesMs": [], "missed": [], "exit": None}
    try:
        if not wait_for(plan["ready"], 0, plan.get("readyTimeout", 60)):
            result["missed"].append("ready: " + plan["ready"])
        else:
            for step in plan["keys"]:
                time.sleep(step.get("pause", 0.3))
                # Drain what is already there, so only output after the key counts.
                try:
                    while pump(0):
                        pass
                except EOFError:
                    result["missed"].append("exited before " + repr(step["send"]))
                    break
                start = len(out)
                sent = time.monotonic()
                os.write(fd, step["send"].encode())
                if wait_for(step["expect"], start, step.get("timeout", 10)):
                    result["latenciesMs"].append(round((time.monotonic() - sent) * 1000, 1))
                else:
                    result["missed"].append(step["expect"])
        if plan.get("quit"):
            os.write(fd, plan["quit"].encode())
        deadline = time.monotonic() + plan.get("exitTimeout", 60)
        while time.monotonic() < deadline:
            try:
                pump(0.05)
            except EOFError:
                break
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                result["exit"] = os.waitstatus_to_exitcode(status)
                break
    finally:
        if result["exit"] is None:
            try:
                os.kill(pid, signal.SIGKILL)
                _, status = os.waitpid(pid, 0)
                result["exit"] = os.waitstatus_to_exitcode(status)
            except (ProcessLookupError, ChildProcessError):
                pass
    result["tail"] = plain()[-1500:]
    print(json.dumps(result))


if __name__ == "__main__":
    main()
