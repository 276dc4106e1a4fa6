//! Fetching and verifying answers on several threads at once, with a bound.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use super::MAX_PARALLEL;

/// Runs `f` over `items` on up to `MAX_PARALLEL` threads; results in the items' order.
pub(super) fn parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    if items.len() <= 1 {
        return items.iter().map(&f).collect();
    }
    let next = AtomicUsize::new(0);
    let out: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..items.len().min(MAX_PARALLEL) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                let r = f(item);
                out.lock().unwrap_or_else(|p| p.into_inner())[i] = Some(r);
            });
        }
    });
    out.into_inner()
        .unwrap_or_else(|p| p.into_inner())
        .into_iter()
        .map(|r| r.expect("every item is done when the scope ends"))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_come_back_in_the_items_order() {
        assert_eq!(super::parallel(&[1, 2, 3, 4], |x| x * 2), vec![2, 4, 6, 8]);
        let many: Vec<u32> = (0..100).collect();
        assert_eq!(
            super::parallel(&many, |x| x + 1),
            (1..101).collect::<Vec<_>>()
        );
    }
}
