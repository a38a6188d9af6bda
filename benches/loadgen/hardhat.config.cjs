// The reference node for the load generator: hardhat's in-process network (EDR), Cancun rules, automine (one block per
// transaction), the same ten test-mnemonic accounts with 10,000 ETH each as `cere-node --dev`.
module.exports = {
  networks: {
    hardhat: {
      chainId: 31337,
      hardfork: 'cancun',
      // Room for issue 4's mem(60000) eth_call (37.7 M gas; hardhat caps a call's gas at the block gas limit).
      blockGasLimit: 60_000_000,
      accounts: {
        mnemonic: 'test test test test test test test test test test test junk',
        count: 10,
        accountsBalance: '10000000000000000000000'
      }
    }
  }
}
