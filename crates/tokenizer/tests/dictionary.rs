//! Dictionary resolution, caching and recovery, on the tiny fixture dictionary so that
//! every case compiles in milliseconds.

use std::fs;
use std::path::{Path, PathBuf};

use sagiguard_tokenizer::{CacheState, DictionaryLocator, Error, Origin, Tokenizer};

fn tiny_source() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny-ipadic")
}

/// A locator that sees only what the test gives it: no environment, no real system paths.
fn locator(cache: &Path, system: Vec<PathBuf>) -> DictionaryLocator {
    DictionaryLocator::new()
        .cache_root(cache)
        .system_sources(system)
}

fn cache_state(origin: &Origin) -> &CacheState {
    match origin {
        Origin::Source { cache, .. } => cache,
        other => panic!("expected a dictionary compiled from sources, got {other:?}"),
    }
}

#[test]
fn system_sources_are_compiled_once_then_reused() {
    let cache = tempfile::tempdir().unwrap();
    let first = locator(cache.path(), vec![tiny_source()]).load().unwrap();
    assert_eq!(cache_state(&first.info().origin), &CacheState::Built);
    let second = locator(cache.path(), vec![tiny_source()]).load().unwrap();
    assert_eq!(cache_state(&second.info().origin), &CacheState::Reused);
    assert_eq!(first.info().fingerprint, second.info().fingerprint);
    assert_eq!(first.info().path, second.info().path);
    assert!(first.info().fingerprint.starts_with("ipadic-"));
}

#[test]
fn the_first_existing_system_directory_wins() {
    let cache = tempfile::tempdir().unwrap();
    let missing = cache.path().join("not-installed");
    let dict = locator(cache.path(), vec![missing, tiny_source()])
        .load()
        .unwrap();
    match &dict.info().origin {
        Origin::Source {
            source, explicit, ..
        } => {
            assert_eq!(source, &tiny_source());
            assert!(!explicit);
        }
        other => panic!("unexpected origin {other:?}"),
    }
}

#[test]
fn an_explicit_compiled_dictionary_comes_before_system_sources() {
    let cache = tempfile::tempdir().unwrap();
    let built = locator(cache.path(), vec![tiny_source()]).load().unwrap();
    let compiled = built.info().path.clone().unwrap();

    let other_cache = tempfile::tempdir().unwrap();
    let dict = locator(other_cache.path(), vec![tiny_source()])
        .explicit(Some(&compiled))
        .load()
        .unwrap();
    assert_eq!(dict.info().origin, Origin::Compiled);
    assert_eq!(dict.info().path.as_deref(), Some(compiled.as_path()));
    assert_eq!(dict.info().fingerprint, built.info().fingerprint);
    // Nothing was compiled into the second cache.
    assert!(!other_cache.path().join("dict").exists());
}

#[test]
fn a_compiled_dictionary_without_manifest_is_fingerprinted_by_content() {
    let cache = tempfile::tempdir().unwrap();
    let built = locator(cache.path(), vec![tiny_source()]).load().unwrap();
    let copy = tempfile::tempdir().unwrap();
    for entry in fs::read_dir(built.info().path.as_ref().unwrap()).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name() != "sagiguard-dictionary.json" {
            fs::copy(entry.path(), copy.path().join(entry.file_name())).unwrap();
        }
    }
    let dict = DictionaryLocator::new()
        .explicit(Some(copy.path()))
        .load()
        .unwrap();
    // Its files' own hash, which the build's manifest keeps beside what models record.
    let manifest = manifest(built.info().path.as_ref().unwrap());
    assert_eq!(dict.info().fingerprint, manifest["fingerprint"]);
}

fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&fs::read_to_string(dir.join("sagiguard-dictionary.json")).unwrap())
        .unwrap()
}

/// A build of the cache numbers the connection costs' context ids by how often they are
/// read; models record the hash of the build in the sources' own order, so a model trained
/// before the order changed still finds its dictionary.
#[test]
fn builds_record_the_identity_of_the_sources_own_order() {
    let cache = tempfile::tempdir().unwrap();
    let built = locator(cache.path(), vec![tiny_source()]).load().unwrap();
    let dir = built.info().path.clone().unwrap();
    let written = manifest(&dir);
    assert_eq!(built.info().fingerprint, written["identity"]);
    assert_ne!(written["identity"], written["fingerprint"]);
    assert!(
        written["context_order"]
            .as_str()
            .unwrap()
            .starts_with("by-frequency-")
    );
    let metadata = fs::read_to_string(dir.join("metadata.json")).unwrap();
    assert!(metadata.contains("\"context_id_map\""), "{metadata}");

    // A build from before the order: no order, no identity, its fingerprint the plain one.
    let mut old = written.clone();
    let object = old.as_object_mut().unwrap();
    object.remove("context_order");
    let identity = object.remove("identity").unwrap();
    object.insert("fingerprint".into(), identity);
    fs::write(
        dir.join("sagiguard-dictionary.json"),
        serde_json::to_string(&old).unwrap(),
    )
    .unwrap();
    let compiled_by_hand = DictionaryLocator::new()
        .explicit(Some(&dir))
        .load()
        .unwrap();
    assert_eq!(
        compiled_by_hand.info().fingerprint,
        built.info().fingerprint
    );
    let again = locator(cache.path(), vec![tiny_source()]).load().unwrap();
    match cache_state(&again.info().origin) {
        CacheState::Rebuilt { reason } => {
            assert!(reason.contains("order of context ids"), "{reason}")
        }
        other => panic!("expected a rebuild, got {other:?}"),
    }
    assert_eq!(again.info().fingerprint, built.info().fingerprint);
    let rebuilt = manifest(&dir);
    for field in ["fingerprint", "identity", "context_order", "files"] {
        assert_eq!(
            rebuilt[field], written[field],
            "compiled again as before: {field}"
        );
    }
    let third = locator(cache.path(), vec![tiny_source()]).load().unwrap();
    assert_eq!(cache_state(&third.info().origin), &CacheState::Reused);
}

/// Builds carry each word's part of speech and base form in a table of their own; a build
/// from before the table is compiled again, and a build without one (compiled elsewhere)
/// decodes its words as it meets them, into the same tokens.
#[test]
fn builds_carry_a_table_of_word_details() {
    const TABLE: &str = "sagiguard-word-details.bin";
    let cache = tempfile::tempdir().unwrap();
    let built = locator(cache.path(), vec![tiny_source()]).load().unwrap();
    let dir = built.info().path.clone().unwrap();
    let written = manifest(&dir);
    assert!(written["files"].get(TABLE).is_some(), "{written}");
    assert!(written["word_details"].as_str().is_some(), "{written}");

    // Without the table, the words decoded as they are met are the same.
    let copy = tempfile::tempdir().unwrap();
    for entry in fs::read_dir(&dir).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name() != "sagiguard-dictionary.json" && entry.file_name() != TABLE {
            fs::copy(entry.path(), copy.path().join(entry.file_name())).unwrap();
        }
    }
    let without = DictionaryLocator::new()
        .explicit(Some(copy.path()))
        .load()
        .unwrap();
    let text = "このメールを開封してください。未知語xyzです";
    let tokens = Tokenizer::new(built).tokenize(text);
    assert!(
        tokens.iter().any(|t| t.base_form != t.surface),
        "{tokens:?}"
    );
    assert_eq!(Tokenizer::new(without).tokenize(text), tokens);

    // A table that does not hold together is refused, naming it.
    fs::copy(dir.join(TABLE), copy.path().join(TABLE)).unwrap();
    let bytes = fs::read(copy.path().join(TABLE)).unwrap();
    fs::write(copy.path().join(TABLE), &bytes[..bytes.len() - 3]).unwrap();
    let error = DictionaryLocator::new()
        .explicit(Some(copy.path()))
        .load()
        .unwrap_err();
    assert!(
        matches!(error, Error::WordDetails { ref path, .. } if path.ends_with(TABLE)),
        "{error}"
    );

    // A build from before the table is compiled again, to the same identity.
    let mut old = written.clone();
    let object = old.as_object_mut().unwrap();
    object.remove("word_details");
    for list in ["files", "stamps"] {
        if let Some(files) = object.get_mut(list).and_then(|f| f.as_object_mut()) {
            files.remove(TABLE);
        }
    }
    fs::remove_file(dir.join(TABLE)).unwrap();
    fs::write(
        dir.join("sagiguard-dictionary.json"),
        serde_json::to_string(&old).unwrap(),
    )
    .unwrap();
    let again = locator(cache.path(), vec![tiny_source()]).load().unwrap();
    match cache_state(&again.info().origin) {
        CacheState::Rebuilt { reason } => {
            assert!(reason.contains("table of word details"), "{reason}")
        }
        other => panic!("expected a rebuild, got {other:?}"),
    }
    assert!(dir.join(TABLE).exists());
    assert_eq!(manifest(&dir)["files"], written["files"]);
    assert_eq!(Tokenizer::new(again).tokenize(text), tokens);
}

#[test]
fn explicit_sources_are_compiled_into_the_cache() {
    let cache = tempfile::tempdir().unwrap();
    let dict = locator(cache.path(), vec![])
        .explicit(Some(tiny_source()))
        .load()
        .unwrap();
    match &dict.info().origin {
        Origin::Source { explicit, .. } => assert!(explicit),
        other => panic!("unexpected origin {other:?}"),
    }
    assert!(dict.info().path.as_ref().unwrap().starts_with(cache.path()));
}

#[test]
fn a_cached_build_serves_when_its_sources_are_gone() {
    let cache = tempfile::tempdir().unwrap();
    let built = locator(cache.path(), vec![tiny_source()]).load().unwrap();
    let dict = locator(cache.path(), vec![]).load().unwrap();
    assert_eq!(dict.info().origin, Origin::Cached);
    assert_eq!(dict.info().fingerprint, built.info().fingerprint);
}

#[test]
fn damaged_builds_are_detected_and_rebuilt() {
    type Damage = fn(&Path);
    let cases: [(&str, Damage, &str); 5] = [
        (
            "overwritten in place, same size",
            |dir| {
                let path = dir.join("dict.vals");
                let mut bytes = fs::read(&path).unwrap();
                let (start, len) = (bytes.len() / 2, (bytes.len() / 2).min(4096));
                bytes[start..start + len]
                    .iter_mut()
                    .for_each(|b| *b ^= 0x5a);
                fs::write(&path, bytes).unwrap();
            },
            "content changed",
        ),
        (
            "truncated words",
            |dir| fs::write(dir.join("dict.words"), b"").unwrap(),
            "dict.words is 0 bytes",
        ),
        (
            "missing matrix",
            |dir| fs::remove_file(dir.join("matrix.mtx")).unwrap(),
            "matrix.mtx is missing",
        ),
        (
            "no manifest",
            |dir| fs::remove_file(dir.join("sagiguard-dictionary.json")).unwrap(),
            "interrupted build",
        ),
        (
            "garbage manifest",
            |dir| fs::write(dir.join("sagiguard-dictionary.json"), "{not json").unwrap(),
            "is invalid",
        ),
    ];
    for (name, damage, expected_reason) in cases {
        let cache = tempfile::tempdir().unwrap();
        let first = locator(cache.path(), vec![tiny_source()]).load().unwrap();
        let dir = first.info().path.clone().unwrap();
        drop(first);
        damage(&dir);

        let again = locator(cache.path(), vec![tiny_source()]).load().unwrap();
        match cache_state(&again.info().origin) {
            CacheState::Rebuilt { reason } => assert!(
                reason.contains(expected_reason),
                "{name}: reason {reason:?} should contain {expected_reason:?}"
            ),
            other => panic!("{name}: expected a rebuild, got {other:?}"),
        }
        let tokens = Tokenizer::new(again).tokenize("入金");
        assert_eq!(tokens.len(), 1, "{name}: the rebuilt dictionary works");
        let third = locator(cache.path(), vec![tiny_source()]).load().unwrap();
        assert_eq!(
            cache_state(&third.info().origin),
            &CacheState::Reused,
            "{name}"
        );
    }
}

/// Issue 14: a file whose stamp changed but whose content did not (copied back, touched)
/// is verified by its hash once, and the build is reused.
#[test]
fn a_touched_but_intact_build_is_reused() {
    let cache = tempfile::tempdir().unwrap();
    let first = locator(cache.path(), vec![tiny_source()]).load().unwrap();
    let dir = first.info().path.clone().unwrap();
    drop(first);
    let path = dir.join("dict.vals");
    let bytes = fs::read(&path).unwrap();
    fs::remove_file(&path).unwrap();
    fs::write(&path, bytes).unwrap();
    for _ in 0..2 {
        let again = locator(cache.path(), vec![tiny_source()]).load().unwrap();
        assert_eq!(cache_state(&again.info().origin), &CacheState::Reused);
    }
}

#[test]
fn a_rebuild_replaces_a_valid_build() {
    let cache = tempfile::tempdir().unwrap();
    locator(cache.path(), vec![tiny_source()]).load().unwrap();
    let dict = locator(cache.path(), vec![tiny_source()])
        .rebuild(true)
        .load()
        .unwrap();
    assert!(matches!(
        cache_state(&dict.info().origin),
        CacheState::Rebuilt { .. }
    ));
    // No temporary or trash directories are left behind.
    let leftovers: Vec<_> = fs::read_dir(cache.path().join("dict"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "left behind: {leftovers:?}");
}

#[test]
fn concurrent_first_loads_agree() {
    let cache = tempfile::tempdir().unwrap();
    let fingerprints: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(|| {
                    locator(cache.path(), vec![tiny_source()])
                        .load()
                        .unwrap()
                        .info()
                        .fingerprint
                        .clone()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(fingerprints.windows(2).all(|w| w[0] == w[1]));
    let third = locator(cache.path(), vec![tiny_source()]).load().unwrap();
    assert_eq!(cache_state(&third.info().origin), &CacheState::Reused);
}

#[test]
fn nothing_found_says_what_to_install() {
    let cache = tempfile::tempdir().unwrap();
    let missing = cache.path().join("no-ipadic-here");
    let err = locator(cache.path(), vec![missing.clone()])
        .load()
        .unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
    let message = err.to_string();
    for expected in [
        "apt-get install mecab-ipadic",
        "SAGIGUARD_DICT",
        missing.to_str().unwrap(),
    ] {
        assert!(message.contains(expected), "{message:?} lacks {expected:?}");
    }
}

#[test]
fn an_explicit_path_that_is_no_dictionary_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("notes.txt"), "hello").unwrap();
    let err = DictionaryLocator::new()
        .explicit(Some(dir.path()))
        .load()
        .unwrap_err();
    assert!(matches!(err, Error::NotADictionary { .. }), "{err:?}");
    assert!(err.to_string().contains(dir.path().to_str().unwrap()));

    let missing = dir.path().join("missing");
    let err = DictionaryLocator::new()
        .explicit(Some(&missing))
        .load()
        .unwrap_err();
    assert!(err.to_string().contains(missing.to_str().unwrap()), "{err}");
}

#[test]
fn sources_without_a_cache_directory_fail_clearly() {
    let err = DictionaryLocator::new()
        .system_sources(vec![tiny_source()])
        .load()
        .unwrap_err();
    assert!(matches!(err, Error::NoCacheDir), "{err:?}");
}
