using System.CommandLine;
using System.Text;
using Cere.Chain.ValidatorKeys;
using Cere.Core;
using Cere.Core.Crypto;

namespace Cere.Chain.Cli;

/// <summary>
/// <c>cere-node key generate|inspect</c>: validator keys as Web3 Secret Storage v3 keystores (the files geth, ethers and
/// MetaMask read). The private key is never printed.
/// </summary>
public static class KeyCommands
{
    /// <summary>Creates the <c>key</c> command with its subcommands.</summary>
    public static Command Create()
    {
        Command key = new("key", "validator keys: create a new key in a keystore file, or show the address and public key of one");
        key.Subcommands.Add(CreateGenerate());
        key.Subcommands.Add(CreateInspect());
        return key;
    }

    private static Command CreateGenerate()
    {
        Option<FileInfo> keystore = new("--keystore") { Description = "keystore file to create (must not exist)", Required = true };
        Option<FileInfo?> passwordFile = new("--password-file") { Description = "file holding the password (trailing newline ignored); without it the password is asked for" };
        Option<bool> light = new("--light") { Description = "cheap scrypt (N=4096, p=6, as geth --lightkdf) instead of the standard N=262144, p=1: for test keys only" };
        Command generate = new("generate", "create a new secp256k1 key, write it as a v3 keystore, print its address and public key")
        {
            keystore, passwordFile, light,
        };
        generate.SetAction(parse => Generate(parse.GetValue(keystore)!, parse.GetValue(passwordFile), parse.GetValue(light)));
        return generate;
    }

    private static Command CreateInspect()
    {
        Option<FileInfo> keystore = new("--keystore") { Description = "keystore file to read", Required = true };
        Option<FileInfo?> passwordFile = new("--password-file") { Description = "file holding the password (trailing newline ignored); without it the password is asked for" };
        Command inspect = new("inspect", "decrypt a v3 keystore and print its address and public key (never the private key)")
        {
            keystore, passwordFile,
        };
        inspect.SetAction(parse => Inspect(parse.GetValue(keystore)!, parse.GetValue(passwordFile)));
        return inspect;
    }

    private static int Generate(FileInfo keystore, FileInfo? passwordFile, bool light)
    {
        try
        {
            if (keystore.Exists)
            {
                throw new IOException($"{keystore.FullName} already exists; a keystore is never overwritten");
            }

            string password = passwordFile is null ? Prompt(confirm: true) : KeystoreFile.ReadPassword(passwordFile.FullName);
            if (password.Length == 0)
            {
                Console.Error.WriteLine("warning: the password is empty; anyone who gets the file gets the key");
            }

            PrivateKey key = PrivateKey.Generate();
            KeystoreFile.WriteNew(keystore.FullName, Keystore.Encrypt(key, password, light ? ScryptParameters.Light : ScryptParameters.Standard));
            Print(key, keystore.FullName);
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            Console.Error.WriteLine($"key generate: {e.Message}");
            return 1;
        }
    }

    private static int Inspect(FileInfo keystore, FileInfo? passwordFile)
    {
        try
        {
            string json = File.ReadAllText(keystore.FullName, Encoding.UTF8);
            string password = passwordFile is null ? Prompt(confirm: false) : KeystoreFile.ReadPassword(passwordFile.FullName);
            Print(Keystore.Decrypt(json, password), keystore.FullName);
            return 0;
        }
        catch (Exception e) when (e is KeystoreException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            Console.Error.WriteLine($"key inspect: {e.Message}");
            return 1;
        }
    }

    // One "name: value" per line so scripts can read the fields; the validator id is the address, which is what
    // consensus votes recover to (DESIGN.md: a validator is its address and its stake).
    private static void Print(PrivateKey key, string path)
    {
        Console.WriteLine($"address:        {key.Address.ToChecksumString()}");
        Console.WriteLine($"validator id:   {key.Address.ToChecksumString()}");
        Console.WriteLine($"public key:     0x04{Hex.Encode(key.PublicKey, prefix: false)}");
        Console.WriteLine($"compressed key: {Hex.Encode(key.CompressedPublicKey)}");
        Console.WriteLine($"keystore:       {path}");
    }

    // From a terminal: asked without echo (twice for a new key). From a pipe: the first line of standard input.
    private static string Prompt(bool confirm)
    {
        if (Console.IsInputRedirected)
        {
            return (Console.In.ReadLine() ?? throw new InvalidOperationException("no password on standard input (use --password-file)")).TrimEnd('\r');
        }

        string first = ReadHidden("Password: ");
        if (confirm && ReadHidden("Repeat password: ") != first)
        {
            throw new InvalidOperationException("the passwords do not match");
        }

        return first;
    }

    private static string ReadHidden(string prompt)
    {
        Console.Error.Write(prompt);
        StringBuilder sb = new();
        while (true)
        {
            ConsoleKeyInfo k = Console.ReadKey(intercept: true);
            if (k.Key == ConsoleKey.Enter)
            {
                Console.Error.WriteLine();
                return sb.ToString();
            }

            if (k.Key == ConsoleKey.Backspace)
            {
                if (sb.Length > 0)
                {
                    sb.Length--;
                }
            }
            else if (k.KeyChar != '\0')
            {
                sb.Append(k.KeyChar);
            }
        }
    }
}
