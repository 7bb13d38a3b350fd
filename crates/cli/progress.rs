//! A progress bar on stderr for long work: hidden when stderr is not a terminal or with
//! `--quiet`, so logs and pipes stay clean.

use std::io::IsTerminal;
use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct Bar {
    bar: Mutex<Option<ProgressBar>>,
    visible: bool,
}

impl Bar {
    pub fn new(quiet: bool) -> Bar {
        Bar {
            bar: Mutex::new(None),
            visible: !quiet && std::io::stderr().is_terminal(),
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = self
            .bar
            .lock()
            .expect("the progress lock is not poisoned")
            .take()
        {
            bar.finish_and_clear();
        }
    }
}

impl sagiguard_trainer::Progress for Bar {
    fn stage(&self, name: &str, total: u64) {
        if !self.visible {
            return;
        }
        let mut slot = self.bar.lock().expect("the progress lock is not poisoned");
        if let Some(old) = slot.take() {
            old.finish_and_clear();
        }
        // A total of 0 is a stream of unknown length: a counter instead of a bar.
        let (length, template) = if total == 0 {
            (None, "{msg:24} {spinner} {pos} ({per_sec})")
        } else {
            (
                Some(total),
                "{msg:24} [{bar:30}] {pos}/{len} ({per_sec}, {eta})",
            )
        };
        let bar = ProgressBar::with_draw_target(length, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template(template)
                .expect("the template is valid")
                .progress_chars("=> "),
        );
        bar.set_message(name.to_string());
        *slot = Some(bar);
    }

    fn advance(&self, n: u64) {
        if let Some(bar) = self
            .bar
            .lock()
            .expect("the progress lock is not poisoned")
            .as_ref()
        {
            bar.inc(n);
        }
    }
}
