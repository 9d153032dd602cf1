//! Keeping SQLite's writing on one CPU (issue 21, item 11).
//!
//! A write transaction on SQLite is a few dozen statements, each a hand-off from the thread
//! that runs the write to the connection's own database thread and back. When the two threads
//! sit on different CPUs, every hand-off wakes the other CPU (on a virtual machine, often from
//! idle, which is slow), and the one writer lock was held ~10 ms for ~1.2 ms of SQL. On one CPU
//! a hand-off is a switch between two threads of the same core: the server measured twice the
//! writes a second and half the queue (docs/benchmarks.md, session 16).

/// The CPU the writing runs on: the last this process may use, when it may use two or more
/// (on one CPU there is nothing to choose, and the reads keep the other CPUs).
pub(crate) fn choose() -> Option<usize> {
    let cores = core_affinity::get_core_ids()?;
    if cores.len() < 2 {
        return None;
    }
    cores.iter().map(|c| c.id).max()
}

/// Keeps the calling thread (and the threads it starts from now on) on `cpu`. Whether that
/// worked: a refusal (a container that forbids it) costs only speed.
pub(crate) fn pin_current_thread(cpu: usize) -> bool {
    core_affinity::set_for_current(core_affinity::CoreId { id: cpu })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chosen_cpu_is_one_the_process_may_use() {
        let Some(cores) = core_affinity::get_core_ids() else { return };
        match choose() {
            Some(cpu) => {
                assert!(cores.len() >= 2);
                assert!(cores.iter().any(|c| c.id == cpu));
            }
            None => assert!(cores.len() < 2, "with {} CPUs one is chosen", cores.len()),
        }
    }
}
