"""The debug-check switch added to a WASM module: a guarded function is skipped while the switch is off and runs as
before when it is on; everything else in the module is untouched (tiny modules stand in for zetasql.wasm)."""

from __future__ import annotations

import pytest

from toolkit.sql import zetasql_debug_checks as checks

# An import shifts the function index space; `check` (index 1) counts its calls in an exported global, as an
# assertion's side effect would show; `answer` returns a value and must keep working.
WAT = """
(module
  (import "env" "ignored" (func $ignored))
  (global $calls (export "calls") (mut i32) (i32.const 0))
  (func $check (param i32) (local i64)
    global.get $calls
    local.get 0
    i32.add
    global.set $calls)
  (func (export "run") (param i32) (result i32)
    local.get 0
    call $check
    local.get 0
    i32.const 1
    i32.add)
  (func (export "answer") (result i32) i32.const 42))
"""


def _instance(wasm: bytes):
    import wasmtime

    engine = wasmtime.Engine()
    store = wasmtime.Store(engine)
    module = wasmtime.Module(engine, wasm)
    linker = wasmtime.Linker(engine)
    linker.define_func("env", "ignored", wasmtime.FuncType([], []), lambda: None)
    return store, linker.instantiate(store, module).exports(store)


def test_a_guarded_function_runs_only_while_the_switch_is_on():
    import wasmtime

    original = wasmtime.wat2wasm(WAT)
    store, exports = _instance(checks.add_guards(original, (1,)))
    assert exports["run"](store, 5) == 6  # the caller's own result is unchanged
    assert exports["calls"].value(store) == 0  # the check was skipped (switch off: the default)
    exports[checks.GLOBAL_NAME].set_value(store, wasmtime.Val.i32(1))
    assert exports["run"](store, 5) == 6
    assert exports["calls"].value(store) == 5  # and runs again, with its argument and local, once switched on
    assert exports["answer"](store) == 42

    store, exports = _instance(original)  # the untouched module counts every call: the guard made the difference
    exports["run"](store, 5)
    assert exports["calls"].value(store) == 5


def test_only_functions_that_return_nothing_can_be_guarded():
    import wasmtime

    original = wasmtime.wat2wasm(WAT)
    with pytest.raises(ValueError, match="returns nothing"):
        checks.add_guards(original, (2,))  # `run` returns a value: skipping it would leave garbage
    with pytest.raises(ValueError):
        checks.add_guards(original, (0,))  # the import has no body


def test_an_unknown_module_is_loaded_unchanged():
    import wasmtime

    original = wasmtime.wat2wasm(WAT)
    assert checks.guarded_functions(checks.digest(original)) == ()
    assert checks.guard(original) == original


def test_discover_finds_a_function_that_is_only_an_assertion():
    """The shapes `discover` accepts: returns nothing, references its kind's marker and only that kind's strings. A
    function that also references another string (an assertion inlined into real work) is not taken."""
    import wasmtime

    marker = "IdString was accessed after its IdStringPool ("
    other = "something else entirely"
    wat = f"""
    (module
      (memory 1)
      (data (i32.const 100) "{marker}\\00")
      (data (i32.const 200) "{other}\\00")
      (func $only_assert (param i32) i32.const 100 drop)
      (func $inlined (param i32) i32.const 100 drop i32.const 200 drop)
      (func $returns (result i32) i32.const 100))
    """
    found = checks.discover(wasmtime.wat2wasm(wat))
    assert found["IdString liveness (ZetaSQL id_string, debug only)"] == (0,)
