// The local runtime as processes: the workerd processes started below this Node process,
// and the hardest stop there is short of pulling the plug (SIGKILL, by pid).
import { readFileSync, readdirSync, readlinkSync } from "node:fs";

/** The pids of every process below `root` (this process by default), from /proc. */
export function descendants(root = process.pid) {
  const parent = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // The process ended while we looked.
    }
  }
  const found = [];
  const walk = (pid) => {
    for (const [child, ppid] of parent) if (ppid === pid) found.push(child), walk(child);
  };
  walk(root);
  return found;
}

/** Whether the process `pid` has a file open under `dir`. */
function holdsFileUnder(pid, dir) {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith(`${dir}/`);
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

/**
 * Kills, with SIGKILL, the runtime process that runs the worker on the persist directory
 * `dir`: the one process below this one holding its storage files open. Nothing it has in
 * flight finishes; no shutdown code runs. Returns the pid (an error unless exactly one
 * process holds the directory). `worker.dispose()` still has to tidy up after it.
 */
export function killRuntime(dir) {
  const holders = descendants().filter((pid) => holdsFileUnder(pid, dir));
  if (holders.length !== 1) throw new Error(`expected one runtime process holding ${dir}, found ${holders.length}`);
  process.kill(holders[0], "SIGKILL");
  return holders[0];
}
