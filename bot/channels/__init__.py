"""What every channel transport shares: turning typed text into safe Rasa input."""
