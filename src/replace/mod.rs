//! In-place replacement (`-r REPL --in-place [--dry-run]`) and recovery (`--recover`):
//! plan every edit of the run and check every length, then lock, journal, write through
//! writable maps, flush and commit. See `journal.rs` for the crash-safety order and where
//! journals live, `plan.rs` for which matches become edits, `apply.rs` for the checks made
//! under each file's lock, and `recover.rs` for rolling an interrupted run back.
//!
//! # Output
//!
//! A summary on stderr at the end (unless -q or --json). With `--json`, stdout gets one line
//! per changed file (with --dry-run: per file that would change) and a summary line:
//!
//! ```text
//! {"type":"file","data":{"path":{"text":"src/a.c"},"replacements":3,"bytes":27,"dry_run":false}}
//! {"type":"summary","data":{"files_changed":1,"replacements":3,"bytes":27,"files_failed":0,
//!   "matches":3,"files_searched":10,"bytes_searched":12345,"elapsed_secs":0.012,"dry_run":false}}
//! ```
//!
//! Paths are `{"text":…}` when UTF-8, else `{"bytes":base64}` (as in ripgrep's schema).
//! Exit status: 0 when something was replaced (or matched with nothing to change), 1 when
//! nothing matched, 2 on any error (a length mismatch writes nothing at all).

mod apply;
mod diff;
mod hooks;
pub mod journal;
mod plan;
mod recover;

use std::ffi::OsString;
use std::io::Write;
use std::time::Instant;

use crate::config::Config;
use crate::messages;
use crate::output::{Mode, json};
use crate::progress::{self, Progress};
use crate::source::Map;
use crate::template::Template;

/// How many length mismatches are listed before "... and K more".
const SHOW_MISMATCHES: usize = 10;

/// `-r REPL --in-place [--dry-run]`.
pub fn run(cfg: &Config) -> i32 {
    let started = Instant::now();
    let Some(tpl) = cfg.output.replacement.as_ref() else {
        messages::error_line("--in-place needs a replacement: -r/--replace REPLACEMENT");
        return crate::EXIT_ERROR;
    };
    if cfg.search.invert {
        messages::error_line(
            "--in-place cannot be combined with -v/--invert-match: inverted lines have no matches to replace",
        );
        return crate::EXIT_ERROR;
    }
    if !tpl.bad_refs().is_empty() {
        report_bad_refs(cfg, tpl);
        return crate::EXIT_ERROR;
    }
    if cfg.nothing_to_match {
        return crate::EXIT_NONE;
    }
    let json_mode = cfg.output.mode == Mode::Json;
    let quiet = matches!(cfg.output.mode, Mode::Quiet | Mode::QuietWithoutMatch);
    let run_dir = journal::run_dir(&cfg.paths);

    // A journal left by an interrupted run in the same place is dealt with first.
    for j in recover::leftovers(&run_dir) {
        if cfg.dry_run {
            messages::note(&format!(
                "{}: an interrupted run left this journal: run mmgrep --recover {} before replacing",
                j.display(),
                run_dir.display()
            ));
            continue;
        }
        messages::note(&format!(
            "{}: an interrupted run left this journal: recovering it first",
            j.display()
        ));
        let o = recover::recover_journal(&j);
        if !o.removed && !o.busy {
            messages::error_line(&format!(
                "the journal {} could not be recovered: nothing was replaced; fix the problems above and run mmgrep --recover {}",
                j.display(),
                run_dir.display()
            ));
            return crate::EXIT_ERROR;
        }
    }

    let bar = progress::wanted(quiet, json_mode);
    let searching = Progress::new(bar, None, "searching");
    let plan = plan::plan(cfg, tpl, &searching);
    searching.finish();

    if plan.mismatch_total > 0 {
        report_mismatches(&plan, cfg.matcher.term());
        return crate::EXIT_ERROR;
    }
    hooks::pause("MMGREP_TEST_PAUSE_AFTER_PLAN");

    let total_bytes: u64 = plan.files.iter().map(|f| f.id.size).sum();
    let writing = Progress::new(
        bar,
        Some(total_bytes),
        if cfg.dry_run { "checking" } else { "writing" },
    );
    let mut out = crate::stdout_writer(cfg.output.line_buffered);
    let opts = apply::Options {
        follow: cfg.walk.follow,
        dry_run: cfg.dry_run,
        json: json_mode,
        run_dir: &run_dir,
        progress: &writing,
        threads: cfg.threads,
    };
    let mut totals = apply::apply(&plan.files, &opts, &mut out);
    totals.files_failed += plan.files_refused;
    writing.finish();
    let elapsed = started.elapsed();

    if json_mode {
        let mut line = Vec::new();
        line.extend_from_slice(b"{\"type\":\"summary\",\"data\":{");
        line.extend_from_slice(
            format!(
                "\"files_changed\":{},\"replacements\":{},\"bytes\":{},\"files_failed\":{},\"matches\":{},\
                 \"files_searched\":{},\"bytes_searched\":{},\"elapsed_secs\":{:.6},\"dry_run\":{}",
                totals.files_changed,
                totals.replacements,
                totals.bytes,
                totals.files_failed,
                plan.matches,
                plan.files_searched,
                plan.bytes_searched,
                elapsed.as_secs_f64(),
                cfg.dry_run
            )
            .as_bytes(),
        );
        if let Some(j) = &totals.journal_kept {
            line.extend_from_slice(b",\"journal_kept\":");
            json::push_data(&mut line, j.as_os_str().as_encoded_bytes());
        }
        line.extend_from_slice(b"}}\n");
        let _ = out.write_all(&line);
    }
    let _ = out.flush();
    drop(out);

    if !json_mode && !quiet {
        let verb = if cfg.dry_run {
            "would replace"
        } else {
            "replaced"
        };
        let mut s = format!(
            "{verb} {} match{} ({} byte{}) in {} file{}",
            totals.replacements,
            if totals.replacements == 1 { "" } else { "es" },
            totals.bytes,
            recover::plural(totals.bytes),
            totals.files_changed,
            recover::plural(totals.files_changed),
        );
        if plan.matches > totals.replacements && totals.files_failed == 0 {
            let same = plan.matches - totals.replacements;
            s.push_str(&format!(
                "; {same} match{} already equal to {} replacement",
                if same == 1 { "" } else { "es" },
                if same == 1 { "its" } else { "their" }
            ));
        }
        if totals.files_failed > 0 {
            s.push_str(&format!(
                "; {} file{} not changed (see above)",
                totals.files_failed,
                recover::plural(totals.files_failed)
            ));
        }
        s.push_str(&format!(" in {:.3}s", elapsed.as_secs_f64()));
        if !cfg.dry_run && totals.files_changed > 0 {
            s.push_str(", flushed to disk");
        }
        messages::note(&s);
    }
    if let Some(j) = &totals.journal_kept {
        messages::error_line(&format!(
            "the undo journal {} is kept: run mmgrep --recover {}",
            j.display(),
            j.display()
        ));
    }
    let replaced_any = totals.files_changed > 0 || (plan.matches > 0 && plan.files.is_empty());
    crate::exit_status(replaced_any, false)
}

/// `--recover [PATH...]`.
pub fn recover(paths: &[OsString]) -> i32 {
    recover::run(paths)
}

/// Lists the first length mismatches of the run (path order) and how many more there are.
/// `t`: the line terminator (lines are records under --null-data).
fn report_mismatches(plan: &plan::RunPlan, t: u8) {
    let mut text = String::from(
        "mmgrep: --in-place needs every replacement to have its match's length; nothing was written:\n",
    );
    let mut shown = 0usize;
    for f in &plan.files {
        if shown == SHOW_MISMATCHES {
            break;
        }
        if f.mismatches.is_empty() {
            continue;
        }
        let take = f.mismatches.len().min(SHOW_MISMATCHES - shown);
        let ms = &f.mismatches[..take];
        let offs: Vec<u64> = ms.iter().map(|m| m.off).collect();
        let pos = positions(f, &offs, t);
        for (m, p) in ms.iter().zip(pos) {
            let where_ = match p {
                Some((l, c)) => format!("{l}:{c}"),
                None => format!("offset {}", m.off),
            };
            text.push_str(&format!(
                "{}:{where_}: match is {} byte{}, replacement is {} byte{}\n",
                String::from_utf8_lossy(&f.display),
                m.match_len,
                recover::plural(m.match_len as u64),
                m.repl_len,
                recover::plural(m.repl_len as u64),
            ));
        }
        shown += take;
    }
    let more = plan.mismatch_total.saturating_sub(shown as u64);
    if more > 0 {
        text.push_str(&format!("... and {more} more\n"));
    }
    messages::error_line(text.trim_end().trim_start_matches("mmgrep: "));
}

/// Line and column of offsets of a planned file (read again: this only runs on error).
fn positions(f: &plan::FilePlan, offs: &[u64], t: u8) -> Vec<Option<(u64, u64)>> {
    let none = || vec![None; offs.len()];
    let Ok(file) = std::fs::File::open(&f.path) else {
        return none();
    };
    // SAFETY: a shrinking file is caught by the SIGBUS guard and checked below.
    let Ok(Some(map)) = (unsafe { Map::open(&file) }) else {
        return none();
    };
    // Counted after what the search skips (a UTF-8 byte-order mark), as it counts them.
    let skip = f.skip.min(map.bytes().len());
    let offs: Vec<u64> = offs
        .iter()
        .map(|&o| o.saturating_sub(skip as u64))
        .collect();
    let lc = plan::line_cols(&map.bytes()[skip..], &offs, t);
    if map.faulted() {
        return none();
    }
    lc.into_iter().map(Some).collect()
}

/// A replacement referring to groups the pattern lacks: the template with a caret under
/// each bad reference, and a hint.
fn report_bad_refs(cfg: &Config, tpl: &Template) {
    let raw = tpl.raw();
    let shown = String::from_utf8_lossy(raw);
    let mut carets = String::new();
    let mut col = 0usize;
    for b in tpl.bad_refs() {
        let start = String::from_utf8_lossy(&raw[..b.at]).chars().count();
        let width = String::from_utf8_lossy(&raw[b.at..b.at + b.len])
            .chars()
            .count();
        while col < start {
            carets.push(' ');
            col += 1;
        }
        for _ in 0..width {
            carets.push('^');
        }
        col += width;
    }
    let groups = cfg.matcher.group_names().len();
    let first = &tpl.bad_refs()[0];
    let digits: String = first
        .name
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    let hint = if !digits.is_empty()
        && digits.len() < first.name.len()
        && digits.parse::<usize>().is_ok_and(|n| n < groups)
    {
        let rest = &first.name[digits.len()..];
        format!("hint: to use group {digits} followed by \"{rest}\", write ${{{digits}}}{rest}")
    } else if !digits.is_empty() && digits.len() == first.name.len() {
        format!(
            "hint: the pattern has {} group{} ($0 to ${}); write $$ for a literal $",
            groups,
            recover::plural(groups as u64),
            groups.saturating_sub(1)
        )
    } else {
        format!(
            "hint: the pattern has no group named \"{}\"; write $$ for a literal $",
            first.name
        )
    };
    let names: Vec<String> = tpl
        .bad_refs()
        .iter()
        .map(|b| format!("${}", b.name))
        .collect();
    messages::error_line(&format!(
        "the replacement refers to {} the pattern does not have ({}); --in-place refuses it, as it is almost always a typo:\n    {shown}\n    {carets}\n{hint}",
        if names.len() == 1 {
            "a group"
        } else {
            "groups"
        },
        names.join(", ")
    ));
}
