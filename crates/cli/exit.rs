//! Exit codes, from one place.

use std::io;
use std::process::ExitCode;

/// How the process ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// The work was done (for `score`: every mail is ham).
    Success,
    /// `score`: at least one mail is a scam.
    Scam,
    /// The work could not be done, or (for `score`) a mail could not be read.
    Error,
    /// `score`: no scam, but at least one mail is unsure.
    Unsure,
    /// `filter`: the message could not be delivered whole (EX_TEMPFAIL, sysexits.h): a mail
    /// transfer agent keeps it and tries again.
    TempFail,
}

impl ExitStatus {
    pub fn code(self) -> u8 {
        // As bogofilter does, verdicts are exit codes a mail filter can branch on; 2 is an
        // error, as clap uses it for a usage error.
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Scam => 1,
            ExitStatus::Error => 2,
            ExitStatus::Unsure => 3,
            ExitStatus::TempFail => 75,
        }
    }
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> Self {
        ExitCode::from(status.code())
    }
}

/// A reader that closed the pipe (`sagiguard … | head`) got what it wanted: not an error.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        let io = cause.downcast_ref::<io::Error>().map(io::Error::kind);
        // JSON output fails through serde_json, which wraps the io error.
        let json = cause
            .downcast_ref::<serde_json::Error>()
            .and_then(serde_json::Error::io_error_kind);
        io.or(json) == Some(io::ErrorKind::BrokenPipe)
    })
}
