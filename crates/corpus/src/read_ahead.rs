//! Reading ahead of the work: mail is read and decoded on one thread (files, MIME and
//! datasets are sequential) while the caller's pool works on what was read before.

/// How many chunks may wait, read, for the consumer.
const DEPTH: usize = 2;

/// Calls `consume` with the items of `items`, in order, `chunk` at a time, while a scoped
/// thread reads the next chunks. The first error `consume` returns stops the reading and is
/// returned.
///
/// ```
/// let mut sums = Vec::new();
/// sagiguard_corpus::read_ahead(1..=10, 4, |chunk: Vec<i32>| {
///     sums.push(chunk.iter().sum::<i32>());
///     Ok::<(), ()>(())
/// })
/// .unwrap();
/// assert_eq!(sums, [10, 26, 19]);
/// ```
///
/// # Errors
///
/// The first error of `consume`.
pub fn read_ahead<T: Send, E>(
    items: impl Iterator<Item = T> + Send,
    chunk: usize,
    mut consume: impl FnMut(Vec<T>) -> Result<(), E>,
) -> Result<(), E> {
    let chunk = chunk.max(1);
    std::thread::scope(|scope| {
        let (send, chunks) = std::sync::mpsc::sync_channel::<Vec<T>>(DEPTH);
        scope.spawn(move || {
            let mut items = items;
            loop {
                let next: Vec<T> = items.by_ref().take(chunk).collect();
                // A consumer that stopped has dropped the receiver: the send fails.
                if next.is_empty() || send.send(next).is_err() {
                    break;
                }
            }
        });
        for next in chunks {
            consume(next)?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_stops_reading_without_waiting_for_the_rest() {
        let mut seen = 0;
        let result = read_ahead(0.., 3, |chunk: Vec<u64>| {
            seen += chunk.len();
            if chunk.contains(&7) {
                Err("seven")
            } else {
                Ok(())
            }
        });
        assert_eq!(result, Err("seven"));
        assert_eq!(seen, 9);
    }

    #[test]
    fn nothing_to_read_calls_nothing() {
        let mut calls = 0;
        read_ahead(std::iter::empty::<u8>(), 8, |_| {
            calls += 1;
            Ok::<(), ()>(())
        })
        .unwrap();
        assert_eq!(calls, 0);
    }
}
