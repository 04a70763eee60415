//! Running commands: echo them, fail with their name, and stop children by process group.

use std::process::{Child, Command};

use crate::Result;

/// Runs `cmd` to completion; an unsuccessful exit is an error naming the command.
pub fn run(cmd: &mut Command) -> Result {
    eprintln!("$ {}", describe(cmd));
    let status = cmd
        .status()
        .map_err(|e| format!("could not start `{}`: {e}", describe(cmd)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", describe(cmd)).into())
    }
}

/// Runs `cmd` and returns its standard output, or `None` if it could not run or failed.
pub fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

pub fn describe(cmd: &Command) -> String {
    let mut parts = vec![cmd.get_program().to_string_lossy().into_owned()];
    parts.extend(cmd.get_args().map(|a| a.to_string_lossy().into_owned()));
    parts.join(" ")
}

/// A child started in its own process group, terminated with everything it spawned
/// (wrangler starts workerd) when dropped.
pub struct Group {
    child: Child,
    name: String,
}

impl Group {
    pub fn spawn(cmd: &mut Command, name: &str) -> Result<Self> {
        use std::os::unix::process::CommandExt;
        eprintln!("$ {}", describe(cmd));
        let child = cmd
            .process_group(0)
            .spawn()
            .map_err(|e| format!("could not start {name}: {e}"))?;
        Ok(Self {
            child,
            name: name.to_owned(),
        })
    }

    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// `Some(status)` if the child has exited.
    pub fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        if self.exited().is_some() {
            return;
        }
        // Negative pid: the whole group this child leads, by its id (never by name).
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        for _ in 0..50 {
            if self.exited().is_some() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        eprintln!("{} did not stop on TERM; killing it", self.name);
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.child.wait();
    }
}
