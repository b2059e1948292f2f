//! Assertion macros that show expected and actual output between rulers.

/// Asserts two strings (or byte strings shown lossily) are equal, printing both whole.
#[macro_export]
macro_rules! eqnice {
    ($expected:expr, $got:expr) => {{
        let expected = &*$expected;
        let got = &*$got;
        if expected != got {
            panic!(
                "\n\nexpected:\n{:~<70}\n{}\n{:~<70}\n\ngot:\n{:~<70}\n{}\n{:~<70}\n",
                "", expected, "", "", got, ""
            );
        }
    }};
}

/// Asserts two byte strings are equal, printing both with non-printable bytes escaped.
#[macro_export]
macro_rules! eqbytes {
    ($expected:expr, $got:expr) => {{
        let expected: &[u8] = &$expected[..];
        let got: &[u8] = &$got[..];
        if expected != got {
            panic!(
                "\n\nexpected (escaped):\n{:~<70}\n{}\n{:~<70}\n\ngot (escaped):\n{:~<70}\n{}\n{:~<70}\n",
                "",
                expected.escape_ascii(),
                "",
                "",
                got.escape_ascii(),
                ""
            );
        }
    }};
}
