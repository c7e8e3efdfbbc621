//! Independent jobs on every core: loading parses data files, rendering renders artifacts.
//! No thread pool lives between calls; each call spawns its threads and joins them.

use std::sync::atomic::{AtomicUsize, Ordering};

/// `f` applied to every job, in job order, computed on as many threads as there are cores
/// (at most one per job). Jobs are handed out one at a time, so uneven jobs even out.
pub(crate) fn map<J: Sync, T: Send>(jobs: &[J], f: impl Fn(&J) -> T + Sync) -> Vec<T> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len());
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(job) = jobs.get(i) else {
                return done;
            };
            done.push((i, f(job)));
        }
    };
    let mut results: Vec<(usize, T)> = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut all = work();
        for helper in helpers {
            all.extend(helper.join().expect("a worker thread panicked"));
        }
        all
    });
    results.sort_unstable_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    use super::map;

    #[test]
    fn results_come_in_job_order_whatever_thread_computed_them() {
        let jobs: Vec<u64> = (0..1000).collect();
        // Uneven work, so threads finish jobs out of order.
        let squares = map(&jobs, |&n| {
            if n % 7 == 0 {
                std::thread::sleep(std::time::Duration::from_micros(50));
            }
            n * n
        });
        assert_eq!(squares, jobs.iter().map(|n| n * n).collect::<Vec<_>>());
        assert!(map(&[] as &[u64], |&n| n).is_empty());
    }
}
