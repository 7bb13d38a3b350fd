//! The model file: its framing (magic, format version, two checksummed sections), writing
//! it atomically, and reading it back, the learning section decoded only when needed.

use std::fs;
use std::io::Write;
use std::path::Path;

use super::{LearningSection, Model};
use crate::error::{Error, Result};
use crate::learn::Learning;
use crate::nb::Scorer;

const MAGIC: &[u8; 8] = b"SAGIGRD\0";
/// The model format this build writes and reads. 2: the smoothing kept with the naive-Bayes
/// parameters, the raw-unknown-words setting, the invisible-character normalisation step.
/// 3: the learning section (counts of every feature seen, hashes of the mails counted).
/// 4: the mask-feature setting. Format 3 is still read (see `v3`) and written back as 4.
pub const FORMAT_VERSION: u16 = 4;
const HEADER: usize = 8 + 2;
const LENGTH: usize = 8;
const CHECKSUM: usize = 32;

impl Model {
    /// Writes the model to `path` through a temporary file in the same directory, renamed
    /// into place: a reader never sees half a model, and a failed write leaves the old one.
    pub fn save(&self, path: &Path) -> Result<()> {
        let bytes = self.to_bytes();
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let io = |action, source| Error::Io {
            path: path.to_path_buf(),
            action,
            source,
        };
        fs::create_dir_all(dir).map_err(|e| io("create the model's directory", e))?;
        let mut tmp = tempfile::Builder::new()
            .prefix(".sagiguard-model-")
            .tempfile_in(dir)
            .map_err(|e| io("create a temporary file", e))?;
        // The temporary file is private (0600); a model replaced in place keeps the
        // permissions it had, so a filter running as another user can still read it, and a
        // new one gets the usual 0644.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let permissions = fs::metadata(path)
                .map(|existing| existing.permissions())
                .unwrap_or_else(|_| fs::Permissions::from_mode(0o644));
            fs::set_permissions(tmp.path(), permissions)
                .map_err(|e| io("set the model's permissions", e))?;
        }
        tmp.write_all(&bytes)
            .map_err(|e| io("write the model", e))?;
        tmp.as_file()
            .sync_all()
            .map_err(|e| io("write the model", e))?;
        tmp.persist(path)
            .map_err(|e| io("rename the model into place", e.error))?;
        Ok(())
    }

    /// The model's file bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let scoring = postcard::to_allocvec(self).expect("a model serialises");
        match &self.learning {
            LearningSection::Encoded { file, range, .. } => {
                Model::frame(&scoring, &file[range.clone()])
            }
            LearningSection::Decoded(learning) => Model::frame(
                &scoring,
                &postcard::to_allocvec(learning).expect("counts serialise"),
            ),
        }
    }

    /// The file layout around the two encoded sections (magic, format version, then each
    /// section's length, payload and checksum): what [`Model::from_bytes`] reads before it
    /// decodes and checks the values. Tests and the fuzzer use it to reach those checks
    /// with a valid frame.
    pub fn frame(scoring: &[u8], learning: &[u8]) -> Vec<u8> {
        let mut bytes =
            Vec::with_capacity(HEADER + 2 * (LENGTH + CHECKSUM) + scoring.len() + learning.len());
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        for payload in [scoring, learning] {
            bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
            bytes.extend_from_slice(payload);
            bytes.extend_from_slice(blake3::hash(payload).as_bytes());
        }
        bytes
    }

    /// Reads a model, refusing anything that is not a complete, intact model of this format.
    pub fn load(path: &Path) -> Result<Model> {
        let bytes = fs::read(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            action: "read the model",
            source,
        })?;
        let (model, learning) = Model::decode(&bytes, path)?;
        Ok(model.with_encoded_learning(bytes, learning, path))
    }

    /// Reads a model with its learning section decoded and checked, for learning, merging
    /// or `model info`.
    pub fn load_for_learning(path: &Path) -> Result<Model> {
        let mut model = Model::load(path)?;
        model.learning_mut()?;
        Ok(model)
    }

    /// Decodes model bytes; `path` names the source in errors. The learning section is
    /// checked against its checksum but decoded only when learning needs it.
    pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<Model> {
        let (model, learning) = Model::decode(bytes, path)?;
        let section = bytes[learning].to_vec();
        let whole = 0..section.len();
        Ok(model.with_encoded_learning(section, whole, path))
    }

    /// The model with its learning section left encoded at `file[range]`, decoded when
    /// learning needs it.
    fn with_encoded_learning(
        mut self,
        file: Vec<u8>,
        range: std::ops::Range<usize>,
        path: &Path,
    ) -> Model {
        self.learning = LearningSection::Encoded {
            file: std::sync::Arc::new(file),
            range,
            path: path.to_path_buf(),
        };
        self
    }

    /// The model in `bytes`, checked, and where its learning section lies in them.
    fn decode(bytes: &[u8], path: &Path) -> Result<(Model, std::ops::Range<usize>)> {
        let path = path.to_path_buf();
        if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
            return Err(Error::NotAModel { path });
        }
        if bytes.len() < HEADER {
            return Err(Error::Truncated {
                path,
                found: bytes.len() as u64,
                expected: HEADER as u64,
            });
        }
        let version = u16::from_le_bytes([bytes[8], bytes[9]]);
        if version != FORMAT_VERSION && version != super::v3::VERSION {
            return Err(Error::FormatVersion {
                path,
                found: version,
                oldest: super::v3::VERSION,
                expected: FORMAT_VERSION,
            });
        }
        let mut at = HEADER;
        let mut sections = Vec::with_capacity(2);
        for _ in 0..2 {
            let truncated = |expected: u64| Error::Truncated {
                path: path.clone(),
                found: bytes.len() as u64,
                expected,
            };
            if bytes.len() < at + LENGTH {
                return Err(truncated((at + LENGTH) as u64));
            }
            let len = u64::from_le_bytes(bytes[at..at + LENGTH].try_into().expect("8 bytes"));
            let end = (at as u64)
                .saturating_add(LENGTH as u64)
                .saturating_add(len)
                .saturating_add(CHECKSUM as u64);
            if (bytes.len() as u64) < end {
                return Err(truncated(end));
            }
            let payload = at + LENGTH..at + LENGTH + len as usize;
            let checksum = &bytes[payload.end..end as usize];
            if blake3::hash(&bytes[payload.clone()]).as_bytes() != checksum {
                return Err(Error::Corrupted { path });
            }
            sections.push(payload);
            at = end as usize;
        }
        if at != bytes.len() {
            return Err(Error::Corrupted { path });
        }
        let decode = |reason: String| Error::Decode {
            path: path.clone(),
            reason,
        };
        let mut model: Model = if version == super::v3::VERSION {
            postcard::from_bytes::<super::v3::ModelV3>(&bytes[sections[0].clone()])
                .map_err(|e| decode(e.to_string()))?
                .upgrade()
                .map_err(decode)?
        } else {
            postcard::from_bytes(&bytes[sections[0].clone()]).map_err(|e| decode(e.to_string()))?
        };
        model
            .check_values()
            .map_err(|(field, reason)| Error::InvalidModel {
                path: path.clone(),
                field,
                reason,
            })?;
        model.scorer = Some(
            Scorer::new(
                &model.nb,
                model.classes.len(),
                model.extractor.vocabulary().len(),
            )
            .map_err(|reason| Error::Decode {
                path: path.clone(),
                reason,
            })?,
        );
        model.read_format = Some(version);
        Ok((model, sections[1].clone()))
    }

    /// The learning section, decoded and checked on first use.
    pub(crate) fn learning_mut(&mut self) -> Result<&mut Learning> {
        if let LearningSection::Encoded { file, range, path } = &self.learning {
            let invalid = |field, reason: String| Error::InvalidModel {
                path: path.clone(),
                field,
                reason,
            };
            let bytes = &file[range.clone()];
            let learning: Learning = postcard::from_bytes(bytes).map_err(|e| Error::Decode {
                path: path.clone(),
                reason: format!("learning section: {e}"),
            })?;
            let classes = self.classes.len();
            if learning.counts.class_mails().len() > classes {
                return Err(invalid(
                    "feature counts",
                    format!(
                        "counts for {} classes in a model of {classes}",
                        learning.counts.class_mails().len()
                    ),
                ));
            }
            if let Some(m) = learning
                .learned
                .iter()
                .find(|m| m.class as usize >= classes)
            {
                return Err(invalid(
                    "learned mails",
                    format!("a mail of class {} in a model of {classes}", m.class),
                ));
            }
            if !learning
                .learned
                .windows(2)
                .all(|w| (w[0].hash, w[0].class) < (w[1].hash, w[1].class))
                || learning.learned.iter().any(|m| m.times == 0)
            {
                return Err(invalid(
                    "learned mails",
                    "the hashes are out of order, repeated or counted zero times".into(),
                ));
            }
            self.learning = LearningSection::Decoded(Box::new(learning));
        }
        match &mut self.learning {
            LearningSection::Decoded(learning) => Ok(learning),
            LearningSection::Encoded { .. } => unreachable!("decoded above"),
        }
    }

    /// A copy to learn into, its learning section decoded.
    pub(crate) fn clone_for_learning(&mut self) -> Result<Model> {
        self.learning_mut()?;
        Ok(self.clone())
    }
}
