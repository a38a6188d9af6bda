// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// The compute benchmarks of issue 4 (arith, hash, mem), also the solc-js conformance contract.
contract Bench {
    function arith(uint256 n) external pure returns (uint256 x) {
        x = 1;
        unchecked {
            for (uint256 i = 0; i < n; i++) {
                x = x * 6364136223846793005 + 1442695040888963407;
                x ^= x >> 7;
            }
        }
    }

    function hash(uint256 n) external pure returns (bytes32 h) {
        for (uint256 i = 0; i < n; i++) {
            h = keccak256(abi.encodePacked(h, i));
        }
    }

    function mem(uint256 n) external pure returns (uint256 s) {
        uint256[] memory a = new uint256[](n);
        for (uint256 i = 0; i < n; i++) {
            a[i] = i * i;
        }
        for (uint256 i = n; i > 0; i--) {
            s += a[i - 1];
        }
    }

    event Stored(address indexed who, uint256 value);

    mapping(address => uint256) public stored;

    function store(uint256 v) external {
        require(v != 0, "zero");
        stored[msg.sender] = v;
        emit Stored(msg.sender, v);
    }
}
