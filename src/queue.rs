//! The work queue between the walker and the workers: units in output order, claimed under
//! the reorder window's rule (the head is always claimable), with backpressure on the
//! walker. Condition variables are signalled only when someone waits on them.

use std::collections::{BinaryHeap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};

use crate::order::{Place, UnitKey};

/// Units queued ahead of the workers (bounds the walker's lead and its memory).
const QUEUE_CAP: usize = 4096;

/// A unit of work and its place in the output order.
pub struct Queued<J> {
    pub key: UnitKey,
    pub job: J,
}

/// A queued unit, ordered so that the heap pops the lowest place first.
struct Entry<J>(Queued<J>);

impl<J> PartialEq for Entry<J> {
    fn eq(&self, o: &Entry<J>) -> bool {
        self.0.key.place() == o.0.key.place()
    }
}
impl<J> Eq for Entry<J> {}
impl<J> PartialOrd for Entry<J> {
    fn partial_cmp(&self, o: &Entry<J>) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl<J> Ord for Entry<J> {
    fn cmp(&self, o: &Entry<J>) -> std::cmp::Ordering {
        o.0.key.place().cmp(&self.0.key.place())
    }
}

struct QueueState<J> {
    /// Files from the walker, in order.
    files: VecDeque<Queued<J>>,
    /// Chunks of files already taken: they come before every queued file.
    chunks: BinaryHeap<Entry<J>>,
    /// The walker is done (chunks may still be added by workers).
    closed: bool,
    /// Units popped and not yet written (the reorder window).
    in_flight: usize,
    /// Units popped and still being searched (they may add chunks).
    in_progress: usize,
    /// The next place to write, as last reported (only grows).
    head: Place,
    walker_waiting: bool,
    /// Workers waiting for a job or for room in the window.
    idle: usize,
}

/// Units in output order. The walker pushes files in batches; a worker that splits a file
/// pushes its chunks (which sort before every queued file); workers pop the lowest place first, and only while the window has
/// room, except the head, which is always claimable (so the writer never waits for a unit
/// nobody may take). Condition variables are signalled only when someone waits.
pub struct Queue<J> {
    state: Mutex<QueueState<J>>,
    not_empty: Condvar,
    not_full: Condvar,
    window: usize,
    /// Mirrors `QueueState::idle` for the walker's lock-free peek.
    idle: AtomicUsize,
}

impl<J> Queue<J> {
    /// A queue whose window lets `window` units be claimed and unwritten at once.
    pub fn new(window: usize) -> Queue<J> {
        Queue {
            state: Mutex::new(QueueState {
                files: VecDeque::new(),
                chunks: BinaryHeap::new(),
                closed: false,
                in_flight: 0,
                in_progress: 0,
                head: (0, 0),
                walker_waiting: false,
                idle: 0,
            }),
            not_empty: Condvar::new(),
            not_full: Condvar::new(),
            window: window.max(1),
            idle: AtomicUsize::new(0),
        }
    }

    /// True when a worker is idle: the walker should hand over what it has.
    pub fn hungry(&self) -> bool {
        self.idle.load(Ordering::Relaxed) > 0
    }

    pub fn push_batch(&self, batch: &mut Vec<Queued<J>>, stop: &AtomicBool) -> bool {
        if batch.is_empty() {
            return !stop.load(Ordering::Relaxed);
        }
        let mut st = self.state.lock().unwrap();
        while st.files.len() >= QUEUE_CAP && !stop.load(Ordering::Relaxed) {
            st.walker_waiting = true;
            st = self.not_full.wait(st).unwrap();
        }
        if stop.load(Ordering::Relaxed) {
            return false;
        }
        st.files.extend(batch.drain(..));
        if st.idle > 0 {
            self.not_empty.notify_all();
        }
        true
    }

    /// Adds the chunks of a file being split (never blocks: they come before anything queued).
    pub fn push_chunks(&self, chunks: impl Iterator<Item = Queued<J>>) {
        let mut st = self.state.lock().unwrap();
        st.chunks.extend(chunks.map(Entry));
        if st.idle > 0 {
            self.not_empty.notify_all();
        }
    }

    pub fn close(&self) {
        self.state.lock().unwrap().closed = true;
        self.not_empty.notify_all();
    }

    /// Takes the next unit, waiting for one; None when the queue is closed and drained (or
    /// the run stopped).
    pub fn pop(&self, stop: &AtomicBool) -> Option<Queued<J>> {
        let mut st = self.state.lock().unwrap();
        loop {
            if stop.load(Ordering::Relaxed) {
                return None;
            }
            if let Some(q) = self.claim(&mut st) {
                return Some(q);
            }
            if st.files.is_empty() && st.chunks.is_empty() && st.closed && st.in_progress == 0 {
                return None;
            }
            st.idle += 1;
            self.idle.fetch_add(1, Ordering::Relaxed);
            st = self.not_empty.wait(st).unwrap();
            st.idle -= 1;
            self.idle.fetch_sub(1, Ordering::Relaxed);
        }
    }

    /// For the walker between batches: a unit to search when more than `backlog` files are
    /// waiting (so that the workers keep theirs), without waiting.
    pub fn take_if_backlog(&self, backlog: usize) -> Option<Queued<J>> {
        let mut st = self.state.lock().unwrap();
        if st.files.len() + st.chunks.len() <= backlog {
            return None;
        }
        self.claim(&mut st)
    }

    /// The lowest queued unit, if the window lets it be claimed.
    fn claim(&self, st: &mut QueueState<J>) -> Option<Queued<J>> {
        let next = match st.chunks.peek() {
            Some(e) => e.0.key.place(),
            None => st.files.front()?.key.place(),
        };
        if st.in_flight >= self.window && next != st.head {
            return None;
        }
        let q = match st.chunks.pop() {
            Some(e) => e.0,
            None => st.files.pop_front().expect("peeked"),
        };
        st.in_flight += 1;
        st.in_progress += 1;
        if st.walker_waiting && st.files.len() < QUEUE_CAP / 2 {
            st.walker_waiting = false;
            self.not_full.notify_one();
        }
        Some(q)
    }

    /// A popped unit is done; `written` units left the window and `head` is next to write.
    pub fn done(&self, written: usize, head: Place) {
        let mut st = self.state.lock().unwrap();
        st.in_progress -= 1;
        st.in_flight -= written;
        if head > st.head {
            st.head = head;
        }
        if st.idle > 0 {
            self.not_empty.notify_all();
        }
    }

    /// Wakes everyone (after the run was told to stop).
    pub fn wake(&self) {
        let _g = self.state.lock().unwrap();
        self.not_empty.notify_all();
        self.not_full.notify_all();
    }
}
