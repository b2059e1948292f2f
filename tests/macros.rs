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
