// Plugin 3 of the Windows example: a panic caught with catch_unwind.
use std::panic;

fn checked_div(a: i32, b: i32) -> i32 {
    if b == 0 {
        panic!("plug3: division of {} by zero", a);
    }
    a / b
}

/// 100 / n, or -1 when that panics (n == 0): the panic unwinds through
/// checked_div and is caught here. The default hook is silenced. (The
/// volatile read keeps the division by zero from being folded.)
#[no_mangle]
pub extern "C" fn plug3_run(n: i32) -> i32 {
    panic::set_hook(Box::new(|_| {}));
    let r = panic::catch_unwind(|| checked_div(100, unsafe { std::ptr::read_volatile(&n) }));
    let _ = panic::take_hook();
    r.unwrap_or(-1)
}

/// Writes what the caught panic said (or the quotient) into buf.
#[no_mangle]
pub extern "C" fn plug3_describe(n: i32, buf: *mut u8, len: usize) -> usize {
    panic::set_hook(Box::new(|_| {}));
    let r = panic::catch_unwind(|| checked_div(7, unsafe { std::ptr::read_volatile(&n) }));
    let _ = panic::take_hook();
    let s = match r {
        Ok(q) => format!("plug3: 7 / {n} = {q}"),
        Err(e) => format!("plug3: caught \"{}\"", e.downcast_ref::<String>().map(|s| s.as_str()).unwrap_or("?")),
    };
    if !buf.is_null() && len > 0 {
        let k = s.len().min(len - 1);
        unsafe {
            std::ptr::copy_nonoverlapping(s.as_ptr(), buf, k);
            *buf.add(k) = 0;
        }
    }
    s.len()
}
