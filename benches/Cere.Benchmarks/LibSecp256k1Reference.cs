using System.Runtime.InteropServices;

namespace Cere.Benchmarks;

/// <summary>
/// Debian's libsecp256k1 (C), the reference the ecrecover benchmark compares against. Benchmark-only: production
/// code never calls a system library. Install it with <c>scripts/bench-deps</c>.
/// </summary>
/// <remarks>
/// Loaded by absolute path and called through unmanaged function pointers (the same blittable P/Invoke transition
/// [LibraryImport] generates), because the production package ships its own <c>libsecp256k1.so</c>: a plain
/// DllImport name could resolve to that copy and we would be comparing the library with itself.
/// <para>Unsafe because of the function pointers: each is cast to the exact C prototype declared in
/// <c>secp256k1.h</c> / <c>secp256k1_recovery.h</c> (pointers, <c>int</c>, <c>unsigned int</c>, <c>size_t*</c>), so
/// the calls are well-typed; the context is created once and never freed while the object lives.</para>
/// </remarks>
internal sealed unsafe class LibSecp256k1Reference
{
    // include/secp256k1.h: SECP256K1_FLAGS_TYPE_CONTEXT | SECP256K1_FLAGS_BIT_CONTEXT_VERIFY (builds the verify tables on old versions too).
    private const uint ContextVerify = (1u << 0) | (1u << 8);
    private const uint EcUncompressed = 1u << 1;

    private static readonly string[] Candidates =
    [
        "/usr/lib/x86_64-linux-gnu/libsecp256k1.so.2",
        "/usr/lib/x86_64-linux-gnu/libsecp256k1.so.1",
        "/usr/lib/aarch64-linux-gnu/libsecp256k1.so.2",
        "/usr/lib/aarch64-linux-gnu/libsecp256k1.so.1",
    ];

    private readonly nint _context;
    private readonly delegate* unmanaged<nint, byte*, byte*, int, int> _parseCompact;
    private readonly delegate* unmanaged<nint, byte*, byte*, byte*, int> _recover;
    private readonly delegate* unmanaged<nint, byte*, nuint*, byte*, uint, int> _serialize;

    /// <summary>Loads the library and creates one context (as a node would, once).</summary>
    /// <exception cref="DllNotFoundException">libsecp256k1 is not installed.</exception>
    public LibSecp256k1Reference()
    {
        Path = Array.Find(Candidates, File.Exists)
            ?? throw new DllNotFoundException($"Debian's libsecp256k1 is not installed (looked for {string.Join(", ", Candidates)}); run scripts/bench-deps");
        nint library = NativeLibrary.Load(Path);
        var create = (delegate* unmanaged<uint, nint>)NativeLibrary.GetExport(library, "secp256k1_context_create");
        _parseCompact = (delegate* unmanaged<nint, byte*, byte*, int, int>)NativeLibrary.GetExport(library, "secp256k1_ecdsa_recoverable_signature_parse_compact");
        _recover = (delegate* unmanaged<nint, byte*, byte*, byte*, int>)NativeLibrary.GetExport(library, "secp256k1_ecdsa_recover");
        _serialize = (delegate* unmanaged<nint, byte*, nuint*, byte*, uint, int>)NativeLibrary.GetExport(library, "secp256k1_ec_pubkey_serialize");
        _context = create(ContextVerify);
    }

    /// <summary>The shared object that was loaded.</summary>
    public string Path { get; }

    /// <summary>ecrecover as a C client does it: parse r ‖ s + recid, recover, serialize uncompressed (65 bytes, 0x04 ‖ X ‖ Y).</summary>
    public bool TryRecover(ReadOnlySpan<byte> digest32, ReadOnlySpan<byte> rs64, int recoveryId, Span<byte> publicKey65)
    {
        // Safe: every span is pinned for the duration of the calls and sized as the C API requires
        // (checked by the caller's fixed-size buffers); the opaque structs live on this stack frame.
        byte* signature = stackalloc byte[65];
        byte* publicKey = stackalloc byte[64];
        nuint length = 65;
        fixed (byte* digest = digest32)
        fixed (byte* rs = rs64)
        fixed (byte* output = publicKey65)
        {
            return _parseCompact(_context, signature, rs, recoveryId) == 1
                && _recover(_context, publicKey, signature, digest) == 1
                && _serialize(_context, output, &length, publicKey, EcUncompressed) == 1;
        }
    }
}
