namespace Cere.Chain.ValidatorKeys;

/// <summary>Why a keystore file could not be read or decrypted.</summary>
public enum KeystoreError
{
    /// <summary>The MAC does not match: the password is wrong (or the file was altered).</summary>
    WrongPassword,

    /// <summary>The JSON is not a keystore: unparsable, a field missing, or a field of the wrong type or length.</summary>
    Malformed,

    /// <summary>The <c>version</c> is not 3.</summary>
    UnsupportedVersion,

    /// <summary>The <c>kdf</c> is neither <c>scrypt</c> nor <c>pbkdf2</c>, or pbkdf2's <c>prf</c> is not <c>hmac-sha256</c>.</summary>
    UnsupportedKdf,

    /// <summary>The KDF parameters are invalid or would cost more memory or time than a keystore may ask for.</summary>
    KdfParametersRejected,

    /// <summary>The <c>cipher</c> is not <c>aes-128-ctr</c>.</summary>
    UnsupportedCipher,

    /// <summary>The key decrypted, but its address differs from the file's <c>address</c> field.</summary>
    AddressMismatch,
}
