namespace Cere.Vm;

/// <summary>Per-opcode static facts for Cancun: constant gas, stack items taken and pushed, and whether it is defined.</summary>
internal static class OpcodeTable
{
    /// <summary>Constant gas per opcode (dynamic parts are charged by the handler).</summary>
    public static readonly long[] Gas = new long[256];

    /// <summary>Stack items the opcode pops (the minimum stack height).</summary>
    public static readonly int[] In = new int[256];

    /// <summary>Net stack growth allowed: a push above 1024 − this is an overflow.</summary>
    public static readonly int[] Growth = new int[256];

    /// <summary>True for opcodes defined in Cancun.</summary>
    public static readonly bool[] Defined = new bool[256];

    static OpcodeTable()
    {
        void D(int op, long gas, int pop, int push)
        {
            Gas[op] = gas;
            In[op] = pop;
            Growth[op] = push - pop;
            Defined[op] = true;
        }

        D(0x00, 0, 0, 0);
        D(0x01, 3, 2, 1); D(0x02, 5, 2, 1); D(0x03, 3, 2, 1); D(0x04, 5, 2, 1); D(0x05, 5, 2, 1); D(0x06, 5, 2, 1); D(0x07, 5, 2, 1);
        D(0x08, 8, 3, 1); D(0x09, 8, 3, 1); D(0x0A, 10, 2, 1); D(0x0B, 5, 2, 1);
        for (int op = 0x10; op <= 0x14; op++)
        {
            D(op, 3, 2, 1);
        }

        D(0x15, 3, 1, 1); D(0x16, 3, 2, 1); D(0x17, 3, 2, 1); D(0x18, 3, 2, 1); D(0x19, 3, 1, 1); D(0x1A, 3, 2, 1);
        D(0x1B, 3, 2, 1); D(0x1C, 3, 2, 1); D(0x1D, 3, 2, 1);
        D(0x20, 30, 2, 1);
        D(0x30, 2, 0, 1); D(0x31, 0, 1, 1); D(0x32, 2, 0, 1); D(0x33, 2, 0, 1); D(0x34, 2, 0, 1); D(0x35, 3, 1, 1); D(0x36, 2, 0, 1);
        D(0x37, 3, 3, 0); D(0x38, 2, 0, 1); D(0x39, 3, 3, 0); D(0x3A, 2, 0, 1); D(0x3B, 0, 1, 1); D(0x3C, 0, 4, 0); D(0x3D, 2, 0, 1);
        D(0x3E, 3, 3, 0); D(0x3F, 0, 1, 1);
        D(0x40, 20, 1, 1); D(0x41, 2, 0, 1); D(0x42, 2, 0, 1); D(0x43, 2, 0, 1); D(0x44, 2, 0, 1); D(0x45, 2, 0, 1); D(0x46, 2, 0, 1);
        D(0x47, 5, 0, 1); D(0x48, 2, 0, 1); D(0x49, 3, 1, 1); D(0x4A, 2, 0, 1);
        D(0x50, 2, 1, 0); D(0x51, 3, 1, 1); D(0x52, 3, 2, 0); D(0x53, 3, 2, 0); D(0x54, 0, 1, 1); D(0x55, 0, 2, 0); D(0x56, 8, 1, 0);
        D(0x57, 10, 2, 0); D(0x58, 2, 0, 1); D(0x59, 2, 0, 1); D(0x5A, 2, 0, 1); D(0x5B, 1, 0, 0); D(0x5C, 100, 1, 1); D(0x5D, 100, 2, 0);
        D(0x5E, 3, 3, 0); D(0x5F, 2, 0, 1);
        for (int n = 0; n < 32; n++)
        {
            D(0x60 + n, 3, 0, 1);
        }

        for (int n = 1; n <= 16; n++)
        {
            D(0x7F + n, 3, n, n + 1);
            D(0x8F + n, 3, n + 1, n + 1);
        }

        for (int n = 0; n <= 4; n++)
        {
            D(0xA0 + n, GasCosts.Log + (GasCosts.LogTopic * n), 2 + n, 0);
        }

        D(0xF0, GasCosts.Create, 3, 1); D(0xF1, 0, 7, 1); D(0xF2, 0, 7, 1); D(0xF3, 0, 2, 0); D(0xF4, 0, 6, 1); D(0xF5, GasCosts.Create, 4, 1);
        D(0xFA, 0, 6, 1); D(0xFD, 0, 2, 0); D(0xFF, GasCosts.SelfDestruct, 1, 0);
    }
}
