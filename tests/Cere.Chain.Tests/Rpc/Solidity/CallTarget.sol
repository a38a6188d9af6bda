// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// Test contract for eth_call / eth_estimateGas / eth_createAccessList / eth_getProof (Cere.Chain.Tests.Rpc).
contract CallTarget {
    mapping(uint256 => uint256) public values; // slot 0
    uint256 public counter;                     // slot 1

    event Set(uint256 indexed key, uint256 value);
    error Custom(uint256 code);

    function set(uint256 key, uint256 value) external {
        values[key] = value;
        counter += 1;
        emit Set(key, value);
    }

    function get(uint256 key) external view returns (uint256) {
        return values[key];
    }

    function fail(string calldata reason) external pure {
        revert(reason);
    }

    function failEmpty() external pure {
        revert();
    }

    function failCustom() external pure {
        revert Custom(7);
    }

    function divide(uint256 a, uint256 b) external pure returns (uint256) {
        return a / b;
    }

    /// Succeeds only with at least minGas left at the check: the minimal gas limit is far above the gas used.
    function needsGas(uint256 minGas) external {
        require(gasleft() >= minGas, "not enough gas");
        counter += 1;
    }

    /// Clears a slot: the EIP-3529 refund makes the gas used lower than the gas needed.
    function clear(uint256 key) external {
        values[key] = 0;
        counter += 1;
    }

    /// Calls itself with all but 1/64 of the gas (EIP-150) and needs the inner call to succeed.
    function forwardBurn(uint256 rounds) external {
        (bool ok, ) = address(this).call(abi.encodeCall(this.burn, (rounds)));
        require(ok, "inner call failed");
    }

    function burn(uint256 rounds) external {
        for (uint256 i = 0; i < rounds; i++) {
            values[1000 + i] = i + 1;
        }
    }

    /// Reads another contract's slot (for access lists).
    function forward(address other, uint256 key) external view returns (uint256) {
        return CallTarget(other).get(key);
    }

    /// Reads another contract's slot inside a call that then reverts: the access still belongs in the access list.
    function peekThenRevert(address other, uint256 key) external returns (bool) {
        try this.readAndRevert(other, key) {
            return false;
        } catch {
            return true;
        }
    }

    function readAndRevert(address other, uint256 key) external view {
        CallTarget(other).get(key);
        revert("undo");
    }

    function balanceOf(address a) external view returns (uint256) {
        return a.balance;
    }

    function context() external view returns (address sender, uint256 baseFee, uint256 gasPrice, uint256 number, uint256 time, address coinbase) {
        return (msg.sender, block.basefee, tx.gasprice, block.number, block.timestamp, block.coinbase);
    }
}
